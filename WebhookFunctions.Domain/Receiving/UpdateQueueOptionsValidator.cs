using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>Rules of <see cref="UpdateQueueOptions"/> that span fields or need parsing. Messages never echo a connection string.</summary>
internal sealed partial class UpdateQueueOptionsValidator : IValidateOptions<UpdateQueueOptions>
{
    // Azure's rule: 3-63 of a-z 0-9 -, starting and ending with a letter or digit, no "--". \z: $ would allow a final "\n".
    [GeneratedRegex(@"^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\z", RegexOptions.CultureInvariant)]
    internal static partial Regex QueueName();

    public ValidateOptionsResult Validate(string? name, UpdateQueueOptions options)
    {
        var errors = new List<string>();
        if (!QueueName().IsMatch(options.Name ?? ""))
        {
            errors.Add($"UpdateQueue:Name must be 3-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, without '--'; '{options.Name}' is not.");
        }
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasServiceUri = !string.IsNullOrWhiteSpace(options.ServiceUri);
        if (hasConnectionString == hasServiceUri)
        {
            errors.Add(hasConnectionString
                ? "UpdateQueue:ConnectionString and UpdateQueue:ServiceUri are both set; set exactly one."
                : "UpdateQueue:ConnectionString (Azurite: UseDevelopmentStorage=true) or UpdateQueue:ServiceUri (https://<account>.queue.core.windows.net, managed identity) is required.");
        }
        if (hasConnectionString && !IsConnectionString(options.ConnectionString!))
        {
            errors.Add("UpdateQueue:ConnectionString is not a storage connection string (e.g. UseDevelopmentStorage=true, or DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;QueueEndpoint=...).");
        }
        if (hasServiceUri && !(Uri.TryCreate(options.ServiceUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath == "/"))
        {
            errors.Add($"UpdateQueue:ServiceUri must be the https queue endpoint of the account, e.g. https://<account>.queue.core.windows.net, not '{options.ServiceUri}'.");
        }
        if (!Enum.IsDefined(options.MessageEncoding))
        {
            errors.Add("UpdateQueue:MessageEncoding must be Base64 or None.");
        }
        foreach (var proxy in options.TrustedProxies.Where(p => !DeliverySource.TryParseRange(p, out _)))
        {
            errors.Add($"UpdateQueue:TrustedProxies has '{proxy}', which is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/8).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static bool IsConnectionString(string connectionString)
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
