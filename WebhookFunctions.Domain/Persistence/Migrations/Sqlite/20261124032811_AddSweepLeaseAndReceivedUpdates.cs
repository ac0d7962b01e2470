using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddSweepLeaseAndReceivedUpdates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "received_update",
                columns: table => new
                {
                    bot_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    update_id = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_received_update", x => new { x.bot_id, x.update_id });
                });

            migrationBuilder.CreateTable(
                name: "sweep_lease",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    holder = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sweep_lease", x => x.name);
                });

            migrationBuilder.InsertData(
                table: "sweep_lease",
                columns: new[] { "name", "expires_at", "holder" },
                values: new object[] { "webhook-checker", new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null });

            migrationBuilder.CreateIndex(
                name: "ix_received_update_received_at",
                table: "received_update",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "received_update");

            migrationBuilder.DropTable(
                name: "sweep_lease");
        }
    }
}
