using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookFunctions.Domain.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "intent_generation",
                table: "bot_platform_credential",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "telegram_bot_id",
                table: "bot_platform_credential",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            // The Telegram bot id of every stored token: the digits before the colon (tokens are plain JSON, readable here).
            // CASE keeps json_extract away from a malformed document.
            migrationBuilder.Sql("""
                UPDATE bot_platform_credential
                SET telegram_bot_id = (
                    SELECT substr(t.token, 1, instr(t.token, ':') - 1)
                    FROM (SELECT CASE WHEN json_valid(credentials) THEN
                                     CASE WHEN json_type(credentials, '$.token') = 'text' THEN json_extract(credentials, '$.token') END
                                 END AS token) AS t
                    WHERE instr(t.token, ':') BETWEEN 2 AND 21
                      AND substr(t.token, 1, instr(t.token, ':') - 1) NOT GLOB '*[^0-9]*')
                WHERE platform = 'telegram';
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
