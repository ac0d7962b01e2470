using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddWebhookHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sweep_run",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    duration_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    @checked = table.Column<int>(name: "checked", type: "INTEGER", nullable: false),
                    left_for_next_sweep = table.Column<int>(type: "INTEGER", nullable: false),
                    counts = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sweep_run", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    bot_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    from_state = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    to_state = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    telegram_error_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    message = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_history", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sweep_run_started_at",
                table: "sweep_run",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_history_at",
                table: "webhook_history",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_history_bot",
                table: "webhook_history",
                columns: new[] { "bot_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_webhook_history_delivery_error",
                table: "webhook_history",
                columns: new[] { "bot_id", "telegram_error_at" },
                unique: true,
                filter: "telegram_error_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sweep_run");

            migrationBuilder.DropTable(
                name: "webhook_history");
        }
    }
}
