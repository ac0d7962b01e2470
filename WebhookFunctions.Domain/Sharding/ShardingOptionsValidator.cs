using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>Rules of <see cref="ShardingOptions"/> that span fields or need parsing (the queue rules are UpdateQueue's). Messages never echo a connection string.</summary>
internal sealed class ShardingOptionsValidator : IValidateOptions<ShardingOptions>
{
    public ValidateOptionsResult Validate(string? name, ShardingOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add("Sharding:Mode must be Auto, Off or On.");
        }
        if (!UpdateQueueOptionsValidator.QueueName().IsMatch(options.QueueName ?? ""))
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
        if (hasConnectionString && !UpdateQueueOptionsValidator.IsConnectionString(options.ConnectionString!))
        {
            errors.Add("Sharding:ConnectionString is not a storage connection string (e.g. UseDevelopmentStorage=true, or DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;QueueEndpoint=...).");
        }
        if (hasServiceUri && !(Uri.TryCreate(options.ServiceUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath == "/"))
        {
            errors.Add($"Sharding:ServiceUri must be the https queue endpoint of the account, e.g. https://<account>.queue.core.windows.net, not '{options.ServiceUri}'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
