using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AddSweepShards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "run_id",
                table: "sweep_run",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "shards",
                table: "sweep_run",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "shards_poisoned",
                table: "sweep_run",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "sweep_shard",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    shard_key = table.Column<int>(type: "int", nullable: false),
                    after_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    through_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    bots = table.Column<int>(type: "int", nullable: false),
                    status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "int", nullable: false),
                    holder = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    claimed_until = table.Column<DateTime>(type: "datetime2", nullable: true),
                    @checked = table.Column<int>(name: "checked", type: "int", nullable: false),
                    left_for_next_sweep = table.Column<int>(type: "int", nullable: false),
                    counts = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: false),
                    finished_at = table.Column<DateTime>(type: "datetime2", nullable: true),
                    last_error = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sweep_shard", x => new { x.run_id, x.shard_key });
                });

            migrationBuilder.CreateIndex(
                name: "ux_sweep_run_run_id",
                table: "sweep_run",
                column: "run_id",
                unique: true,
                filter: "run_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sweep_shard");

            migrationBuilder.DropIndex(
                name: "ux_sweep_run_run_id",
                table: "sweep_run");

            migrationBuilder.DropColumn(
                name: "run_id",
                table: "sweep_run");

            migrationBuilder.DropColumn(
                name: "shards",
                table: "sweep_run");

            migrationBuilder.DropColumn(
                name: "shards_poisoned",
                table: "sweep_run");
        }
    }
}
