using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Api;

/// <summary>Management API keys. Section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const int MinKeyLength = 24;

    /// <summary>Accepted keys (two allow rotation without downtime). Required outside Development.</summary>
    public List<string> ApiKeys { get; set; } = [];
}

/// <summary>Checks the management key (header x-functions-key or query code, the Functions convention) in constant time.</summary>
public sealed partial class ManagementKeys
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[][] _keyHashes;

    public ManagementKeys(IOptions<AuthOptions> options, IHostEnvironment environment, ILogger<ManagementKeys> logger)
    {
        var keys = options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keys.Count == 0 && environment.IsDevelopment())
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

/// <summary>Outside Development at least one strong key must be configured.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var keys = options.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keys.Count == 0 && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail("Auth:ApiKeys must hold at least one management key outside Development (e.g. Auth__ApiKeys__0=$(openssl rand -hex 32)).");
        }
        if (keys.Any(k => k.Length < AuthOptions.MinKeyLength))
        {
            return ValidateOptionsResult.Fail($"Auth:ApiKeys entries must be at least {AuthOptions.MinKeyLength} characters long.");
        }
        return ValidateOptionsResult.Success;
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
