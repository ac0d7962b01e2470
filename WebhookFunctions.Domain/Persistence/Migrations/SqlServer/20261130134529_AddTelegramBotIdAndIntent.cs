using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AddTelegramBotIdAndIntent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "applied_generation",
                table: "bot_platform_credential",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "intent_generation",
                table: "bot_platform_credential",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "telegram_bot_id",
                table: "bot_platform_credential",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            // The Telegram bot id of every stored token: the digits before the colon (tokens are plain JSON, readable here).
            // CASE keeps JSON_VALUE and LEFT away from a malformed document or a token without a colon.
            migrationBuilder.Sql("""
                UPDATE c SET telegram_bot_id = i.bot_id
                FROM bot_platform_credential AS c
                CROSS APPLY (SELECT CASE WHEN ISJSON(c.credentials) = 1 THEN JSON_VALUE(c.credentials, '$.token') END AS token) AS t
                CROSS APPLY (SELECT CASE WHEN CHARINDEX(':', t.token) BETWEEN 2 AND 21 THEN LEFT(t.token, CHARINDEX(':', t.token) - 1) END AS bot_id) AS i
                WHERE c.platform = 'telegram' AND i.bot_id IS NOT NULL AND i.bot_id NOT LIKE '%[^0-9]%';
                """);

            // Deletes made before intents were recorded may not have settled (the race this migration fixes): each
            // operator-disabled bot, and each deactivated one whose webhook delete failed, is checked once by the next
            // sweep, which deletes the webhook if Telegram still holds this service's URL.
            migrationBuilder.Sql("""
                UPDATE bot_platform_credential SET intent_generation = 1
                WHERE platform = 'telegram'
                  AND ((is_active = 1 AND webhook_enabled = 0 AND last_check_outcome = 'disabled')
                       OR (is_active = 0 AND webhook_url IS NOT NULL));
                """);

            // Active credentials sharing a Telegram bot: the earliest keeps the id, the later ones are left empty (so
            // the unique index can be built) and reported at start-up and by every sweep.
            migrationBuilder.Sql("""
                UPDATE bot_platform_credential SET telegram_bot_id = NULL
                WHERE is_active = 1 AND telegram_bot_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM bot_platform_credential AS earlier
                    WHERE earlier.is_active = 1 AND earlier.telegram_bot_id = bot_platform_credential.telegram_bot_id
                      AND (earlier.created_at < bot_platform_credential.created_at
                           OR (earlier.created_at = bot_platform_credential.created_at AND earlier.id < bot_platform_credential.id)));
                """);

            migrationBuilder.CreateIndex(
                name: "ux_bot_platform_credential_telegram_bot",
                table: "bot_platform_credential",
                column: "telegram_bot_id",
                unique: true,
                filter: "is_active = 1 AND telegram_bot_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_bot_platform_credential_telegram_bot",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "applied_generation",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "intent_generation",
                table: "bot_platform_credential");

            migrationBuilder.DropColumn(
                name: "telegram_bot_id",
                table: "bot_platform_credential");
        }
    }
}
