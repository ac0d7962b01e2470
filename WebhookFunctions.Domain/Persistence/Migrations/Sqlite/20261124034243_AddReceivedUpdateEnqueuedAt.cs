using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddReceivedUpdateEnqueuedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "enqueued_at",
                table: "received_update",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "enqueued_at",
                table: "received_update");
        }
    }
}
