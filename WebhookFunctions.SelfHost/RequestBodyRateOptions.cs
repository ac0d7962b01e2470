using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.SelfHost;

/// <summary>
/// How slowly a client may send a request body before Kestrel gives up on it (the library then answers 408).
/// Section "Http"; the defaults are Kestrel's own. Under Functions the host in front of the worker decides this.
/// </summary>
internal sealed class RequestBodyRateOptions
{
    public const string Section = "Http";

    [Range(1.0, 1_000_000.0, ErrorMessage = "Http:MinRequestBodyDataRate must be between {1} and {2} bytes per second.")]
    public double MinRequestBodyDataRate { get; set; } = 240;

    // Kestrel checks once a second, so it refuses a grace period of 1 s or less.
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00", ErrorMessage = "Http:RequestBodyGracePeriod must be between {1} and {2}.")]
    public TimeSpan RequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    internal static void Register(IServiceCollection services)
    {
        services.AddOptions<RequestBodyRateOptions>().BindConfiguration(Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestBodyRateOptions>>((kestrel, rate) =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(rate.Value.MinRequestBodyDataRate, rate.Value.RequestBodyGracePeriod));
    }
}
