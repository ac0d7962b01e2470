using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>Rules of <see cref="ShardingOptions"/> that span fields or need parsing. Messages never echo a connection string.</summary>
internal sealed partial class ShardingOptionsValidator : IValidateOptions<ShardingOptions>
{
    // Azure's queue name rule; \z: $ would allow a final "\n".
    [GeneratedRegex(@"^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();

    public ValidateOptionsResult Validate(string? name, ShardingOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add("Sharding:Mode must be Auto, Off or On.");
        }
        if (!QueueName().IsMatch(options.QueueName ?? ""))
        {
            errors.Add($"Sharding:QueueName (or {ShardingOptions.QueueNameAlias}) must be 3-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, without '--'; '{options.QueueName}' is not.");
        }
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasServiceUri = !string.IsNullOrWhiteSpace(options.ServiceUri);
        // Neither: the update queue's storage, validated as UpdateQueue's.
        if (hasConnectionString && hasServiceUri)
        {
            errors.Add("Sharding:ConnectionString and Sharding:ServiceUri are both set; set at most one (neither: UpdateQueue's storage).");
        }
        if (hasConnectionString && !ParsesAsConnectionString(options.ConnectionString!))
        {
            errors.Add("Sharding:ConnectionString is not a storage connection string (e.g. UseDevelopmentStorage=true, or DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;QueueEndpoint=...).");
        }
        if (hasServiceUri && !(Uri.TryCreate(options.ServiceUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath == "/"))
        {
            errors.Add($"Sharding:ServiceUri must be the https queue endpoint of the account, e.g. https://<account>.queue.core.windows.net, not '{options.ServiceUri}'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool ParsesAsConnectionString(string connectionString)
    {
        try
        {
            _ = new QueueServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
