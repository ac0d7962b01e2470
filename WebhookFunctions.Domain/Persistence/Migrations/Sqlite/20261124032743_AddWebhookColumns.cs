using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddWebhookColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "consecutive_failures",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "last_check_outcome",
                table: "bot_platform_credential",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_check_reason",
                table: "bot_platform_credential",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "bot_platform_credential",
                type: "TEXT",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "last_pending_update_count",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "last_update_received_at",
                table: "bot_platform_credential",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "token_rejected",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "webhook_allowed_updates",
                table: "bot_platform_credential",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "webhook_auto_refresh",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "webhook_enabled",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "webhook_last_checked",
                table: "bot_platform_credential",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "webhook_last_set_at",
                table: "bot_platform_credential",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "webhook_max_connections",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "webhook_secret",
                table: "bot_platform_credential",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "webhook_url",
                table: "bot_platform_credential",
                type: "TEXT",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_bot_platform_credential_sweep",
                table: "bot_platform_credential",
                columns: new[] { "platform", "is_active", "webhook_auto_refresh", "webhook_enabled" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_bot_platform_credential_sweep",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "consecutive_failures",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "last_check_outcome",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "last_check_reason",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "last_error",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "last_pending_update_count",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "last_update_received_at",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "token_rejected",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_allowed_updates",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_auto_refresh",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_enabled",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_last_checked",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_last_set_at",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_max_connections",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_secret",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "webhook_url",
                table: "bot_platform_credential");
        }
    }
}
