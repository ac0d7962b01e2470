using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddContestedState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "contest_backoff_sweeps",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "contest_skip_sweeps",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "contested_at",
                table: "bot_platform_credential",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "contested_host",
                table: "bot_platform_credential",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "repair_watch_sweeps",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "contest_backoff_sweeps",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "contest_skip_sweeps",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "contested_at",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "contested_host",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "repair_watch_sweeps",
                table: "bot_platform_credential");
        }
    }
}
