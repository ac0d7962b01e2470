using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "shards",
                table: "sweep_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "shards_poisoned",
                table: "sweep_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "sweep_shard",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    shard_key = table.Column<int>(type: "INTEGER", nullable: false),
                    after_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    through_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    bots = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    holder = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    claimed_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    @checked = table.Column<int>(name: "checked", type: "INTEGER", nullable: false),
                    left_for_next_sweep = table.Column<int>(type: "INTEGER", nullable: false),
                    counts = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
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
