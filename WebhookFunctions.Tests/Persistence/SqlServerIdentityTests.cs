using Azure.Core;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.Persistence;

// Passwordless SQL: with Database:UseAzureIdentity the context gets an Entra token from Azure.Identity for each connection.
public sealed class SqlServerIdentityTests
{
    private sealed class RecordingCredential : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Add(requestContext.Scopes);
            return new AccessToken("entra-token-for-sql", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }

    private static WebhookDbContext Context(bool useAzureIdentity, TokenCredential credential) =>
        new WebhookDbContextFactory(Options.Create(new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            // Loopback port 1: nothing listens, the attempt is refused at once and never leaves the machine.
            ConnectionString = "Server=tcp:127.0.0.1,1;Database=webhooks;Encrypt=True;Connect Timeout=1",
            UseAzureIdentity = useAzureIdentity,
        }), new Environment(), credential).CreateDbContext();

    [Fact]
    public async Task Each_connection_gets_a_token_for_azure_sql_when_identity_is_on()
    {
        var credential = new RecordingCredential();
        await using var db = Context(useAzureIdentity: true, credential);
        var connection = (SqlConnection)db.Database.GetDbConnection();

        // Opening fails (nothing listens), but the token is put on the connection before the attempt.
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.OpenConnectionAsync());

        Assert.Equal("entra-token-for-sql", connection.AccessToken);
        Assert.Equal(["https://database.windows.net/.default"], Assert.Single(credential.Scopes));
    }

    [Fact]
    public async Task No_token_is_requested_when_identity_is_off()
    {
        var credential = new RecordingCredential();
        await using var db = Context(useAzureIdentity: false, credential);

        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.OpenConnectionAsync());

        Assert.Empty(credential.Scopes);
        Assert.Null(((SqlConnection)db.Database.GetDbConnection()).AccessToken);
    }

    [Fact]
    public void The_sql_server_context_retries_transient_failures()
    {
        using var db = Context(useAzureIdentity: false, new RecordingCredential());

        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
    }
}
