using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Api;

/// <summary>GET /healthz: 200 when the database answers, 503 when it does not. No key needed, nothing secret shown.</summary>
public sealed class HealthApi
{
    private readonly IDbContextFactory<WebhookDbContext> _databases;

    // Internal because its collaborators are: AddWebhookManagement registers how to build it.
    internal HealthApi(IDbContextFactory<WebhookDbContext> databases) => _databases = databases;

    public async Task<IResult> CheckAsync(CancellationToken cancellationToken)
    {
        bool healthy;
        try
        {
            await using var db = await _databases.CreateDbContextAsync(cancellationToken);
            // A query on the table proves the database answers and is migrated.
            _ = await db.Credentials.AsNoTracking().AnyAsync(cancellationToken);
            healthy = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            healthy = false;
        }
        return healthy
            ? TypedResults.Json(new HealthReport("healthy", "ok"), ApiJson.Options)
            : ApiProblems.Problem(503, "unhealthy", "Unhealthy", "The database does not answer.");
    }
}

/// <summary>The body of a healthy /healthz answer.</summary>
public sealed record HealthReport(string Status, string Database);
