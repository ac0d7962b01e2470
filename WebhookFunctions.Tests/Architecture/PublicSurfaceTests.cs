using WebhookFunctions.Domain;

namespace WebhookFunctions.Tests.Architecture;

/// <summary>
/// The library exports what the two hosts use, nothing more (README, "The library"): a new public type is a deliberate
/// choice, made here. Everything else is internal; the tests and the benchmarks see it through InternalsVisibleTo.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string[] Expected =
    [
        // Composition: what Program.cs and the hosts' wiring call.
        "WebhookFunctions.Domain.WebhookManagementServiceCollectionExtensions",
        "WebhookFunctions.Domain.Checking.CheckerServiceCollectionExtensions",
        "WebhookFunctions.Domain.Sharding.ShardingServiceCollectionExtensions",
        "WebhookFunctions.Domain.Telemetry.TelemetryServiceCollectionExtensions",
        "WebhookFunctions.Domain.Telemetry.TelemetryOptions",
        "WebhookFunctions.Domain.Startup.StartupReport",
        "WebhookFunctions.Domain.Api.ApiJson",

        // What a route, a function or a trigger calls.
        "WebhookFunctions.Domain.Api.ActionResultAdapter",
        "WebhookFunctions.Domain.Api.ApiDocument",
        "WebhookFunctions.Domain.Api.ApiOperations",
        "WebhookFunctions.Domain.Api.CheckerApi",
        "WebhookFunctions.Domain.Api.CredentialsApi",
        "WebhookFunctions.Domain.Api.DashboardApi",
        "WebhookFunctions.Domain.Api.HealthApi",
        "WebhookFunctions.Domain.Api.HistoryApi",
        "WebhookFunctions.Domain.Api.ReceiverApi",
        "WebhookFunctions.Domain.Api.WebhookApi",
        "WebhookFunctions.Domain.Sharding.SweepTriggers",

        // The bodies on the wire, which the self-host's OpenAPI description names.
        "WebhookFunctions.Domain.Api.HealthReport",
        "WebhookFunctions.Domain.Api.WebhookDeleteResult",
        "WebhookFunctions.Domain.Checking.BotCheckReport",
        "WebhookFunctions.Domain.Checking.FleetBot",
        "WebhookFunctions.Domain.Checking.FleetPage",
        "WebhookFunctions.Domain.Checking.SweepReport",
        "WebhookFunctions.Domain.Credentials.CredentialDeactivation",
        "WebhookFunctions.Domain.Credentials.CredentialRegistration",
        "WebhookFunctions.Domain.Credentials.CredentialSecrets",
        "WebhookFunctions.Domain.Credentials.CredentialUpdate",
        "WebhookFunctions.Domain.Credentials.CredentialView",
        "WebhookFunctions.Domain.Credentials.DuplicateTelegramBot",
        "WebhookFunctions.Domain.Dashboard.FleetSummary",
        "WebhookFunctions.Domain.Dashboard.LastSweep",
        "WebhookFunctions.Domain.History.HistoryEntryView",
        "WebhookFunctions.Domain.History.HistoryPage",
        // The states those bodies carry, written as snake_case strings.
        "WebhookFunctions.Domain.Persistence.BotState",
        "WebhookFunctions.Domain.Persistence.CheckOutcome",
        "WebhookFunctions.Domain.Persistence.HistoryActor",
        "WebhookFunctions.Domain.Persistence.HistoryKind",
        "WebhookFunctions.Domain.Persistence.SweepStatus",
        "WebhookFunctions.Domain.Webhooks.WebhookConfig",
        "WebhookFunctions.Domain.Webhooks.WebhookDeleteRequest",
        "WebhookFunctions.Domain.Webhooks.WebhookStatus",
    ];

    // dotnet ef writes migrations as public classes; they are found by reflection, and no host names one.
    private const string Migrations = "WebhookFunctions.Domain.Persistence.Migrations";

    [Fact]
    public void The_library_exports_only_the_types_the_hosts_use()
    {
        var exported = typeof(WebhookManagementServiceCollectionExtensions).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is not { } ns || !ns.StartsWith(Migrations, StringComparison.Ordinal))
            .Select(t => t.FullName!);

        Assert.Equal(Expected.Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
    }
}
