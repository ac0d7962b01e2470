using WebhookFunctions.Domain.Errors;

namespace WebhookFunctions.Domain.Api;

/// <summary>The request broke one or more rules; keys are the wire field names (the API layer's own checks, and the services' rules worded by <see cref="WireRules"/>).</summary>
internal sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : WebhookException("The request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string rule) => new(new Dictionary<string, string[]> { [field] = [rule] });
}
