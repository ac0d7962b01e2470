namespace WebhookFunctions.Domain; internal static class Placeholder;
