namespace WebhookFunctions.Domain.Api;

/// <summary>
/// Each route's name: the Functions app's [Function] name and the OpenAPI operationId, so a generated client's
/// method names match the functions an operator sees in Azure.
/// </summary>
public static class ApiOperations
{
    public const string RegisterCredential = nameof(RegisterCredential);
    public const string ListCredentials = nameof(ListCredentials);
    public const string ReplaceCredential = nameof(ReplaceCredential);
    public const string DeactivateCredential = nameof(DeactivateCredential);
    public const string SetWebhook = nameof(SetWebhook);
    public const string GetWebhookStatus = nameof(GetWebhookStatus);
    public const string DeleteWebhook = nameof(DeleteWebhook);
    public const string CheckWebhooks = nameof(CheckWebhooks);
    public const string ListWebhooks = nameof(ListWebhooks);
    public const string ReceiveTelegramUpdate = nameof(ReceiveTelegramUpdate);
    public const string Health = nameof(Health);
    public const string GetOpenApiDocument = nameof(GetOpenApiDocument);
    public const string GetWebhookHistory = nameof(GetWebhookHistory);
    public const string FleetSummary = nameof(FleetSummary);
    public const string Dashboard = nameof(Dashboard);
    public const string DashboardFile = nameof(DashboardFile);
}
