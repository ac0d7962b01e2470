using System.Data.Common;
using Azure.Core;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>Puts an Entra ID access token on each SQL connection, so no password is ever configured.</summary>
internal sealed class AzureIdentityConnectionInterceptor(TokenCredential credential) : DbConnectionInterceptor
{
    private static readonly TokenRequestContext SqlScope = new(["https://database.windows.net/.default"]);

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (connection is SqlConnection sql)
        {
            // Azure.Identity caches the token and renews it before expiry.
            var token = await credential.GetTokenAsync(SqlScope, cancellationToken);
            sql.AccessToken = token.Token;
        }
        return result;
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        if (connection is SqlConnection sql)
        {
            sql.AccessToken = credential.GetToken(SqlScope, default).Token;
        }
        return result;
    }
}
