using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bot_platform_credential",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    bot_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    platform = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    credentials = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    is_active = table.Column<bool>(type: "bit", nullable: false),
                    created_at = table.Column<DateTime>(type: "datetime2", nullable: false),
                    updated_at = table.Column<DateTime>(type: "datetime2", nullable: false),
                    concurrency_stamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bot_platform_credential", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ux_bot_platform_credential_active",
                table: "bot_platform_credential",
                columns: new[] { "bot_id", "platform" },
                unique: true,
                filter: "is_active = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bot_platform_credential");
        }
    }
}
