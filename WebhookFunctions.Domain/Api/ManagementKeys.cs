using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Startup;

namespace WebhookFunctions.Domain.Api;

/// <summary>Management API keys. Section "Auth".</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";
    public const int MinKeyLength = 24;
    public const int MinDistinctCharacters = 8;

    /// <summary>Accepted keys (two allow rotation without downtime). Required outside Development.</summary>
    public List<string> ApiKeys { get; set; } = [];
}

/// <summary>Checks the management key (header x-functions-key or query code, the Functions convention) in constant time.</summary>
internal sealed partial class ManagementKeys
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[][] _keyHashes;

    public ManagementKeys(IOptions<AuthOptions> options, DevelopmentEnvironment environment, ILogger<ManagementKeys> logger)
    {
        var keys = options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keys.Count == 0 && environment.IsDevelopment)
        {
            // Development only: a key for this run, so the API is never open even on a dev box behind ngrok.
            var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            keys.Add(key);
            LogDevelopmentKey(logger, key);
        }
        _keyHashes = keys.Select(Hash).ToArray();
    }

    public bool IsAuthorized(HttpRequest request)
    {
        string? presented = request.Headers[HeaderName].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            presented = request.Query[QueryName].FirstOrDefault();
        }
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        // Hashing first makes every comparison the same length; every key is compared, match or not.
        var candidate = Hash(presented);
        var match = false;
        foreach (var key in _keyHashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(candidate, key);
        }
        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:ApiKeys is empty; Development key for this run: {ApiKey} (send it as x-functions-key)")]
    private static partial void LogDevelopmentKey(ILogger logger, string apiKey);
}

/// <summary>
/// Outside Development (<see cref="DevelopmentEnvironment"/>, the rule the webhook URL's mode follows too) at least one key must be configured, and no key may be trivially weak: at least
/// <see cref="AuthOptions.MinKeyLength"/> visible ASCII characters, at least <see cref="AuthOptions.MinDistinctCharacters"/>
/// different ones, and not one short block repeated. This refuses obvious mistakes; it does not measure strength.
/// </summary>
internal sealed class AuthOptionsValidator(DevelopmentEnvironment environment) : IValidateOptions<AuthOptions>
{
    public const string GenerateHint = "generate one with: openssl rand -hex 32";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(options.ApiKeys[i]) && Weakness(options.ApiKeys[i]) is { } weakness)
            {
                // Never the key itself: the message reaches logs and the console.
                failures.Add($"Auth:ApiKeys:{i} is too weak: it {weakness}; {GenerateHint}.");
            }
        }
        if (!options.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k)) && !environment.IsDevelopment)
        {
            failures.Add($"Auth:ApiKeys:0 is required outside Development: at least one management key ({GenerateHint}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why the key is trivially weak, or null.</summary>
    internal static string? Weakness(string key)
    {
        if (key.Length < AuthOptions.MinKeyLength)
        {
            return $"is {key.Length} characters long; at least {AuthOptions.MinKeyLength} are required";
        }
        if (key.Any(c => c is <= ' ' or > '~'))
        {
            // A trailing newline from a secrets file is the usual case: no header can ever match it.
            return "holds a space, a control character (a trailing newline?) or a non-ASCII character; use visible ASCII only";
        }
        var distinct = key.Distinct().Count();
        if (distinct < AuthOptions.MinDistinctCharacters)
        {
            return $"uses only {distinct} different characters; at least {AuthOptions.MinDistinctCharacters} are required";
        }
        for (var period = 1; period <= key.Length / 2; period++)
        {
            if (RepeatsWithPeriod(key, period))
            {
                return $"repeats a block of {period} characters";
            }
        }
        return null;
    }

    private static bool RepeatsWithPeriod(string key, int period)
    {
        for (var i = period; i < key.Length; i++)
        {
            if (key[i] != key[i - period])
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Builds <see cref="ManagementKeys"/> as the host starts.</summary>
internal sealed class ManagementKeysWarmup(ManagementKeys keys) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(keys);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
