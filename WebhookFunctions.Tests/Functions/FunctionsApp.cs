using System.Net;
using System.Reflection;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WebhookFunctions.Tests.Functions;

/// <summary>
/// The Functions app composed as Program.cs composes it (FunctionsApplication.CreateBuilder, then AddWebhookFunctions),
/// its services built with scope and build validation, and its functions invoked in process the way the worker
/// invokes them: the class activated from a request scope, route values bound by name. No Functions host runs.
/// </summary>
internal sealed class FunctionsApp : IAsyncDisposable
{
    private FunctionsApp(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    /// <summary>Every public method with [Function] in the Functions app's assembly.</summary>
    public static IReadOnlyList<MethodInfo> Functions { get; } = typeof(HealthFunction).Assembly.GetExportedTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .ToList();

    public static IEnumerable<MethodInfo> HttpFunctions => Functions.Where(f => HttpTriggerOf(f) is not null);

    public static string NameOf(MethodInfo function) => function.GetCustomAttribute<FunctionAttribute>()!.Name;

    public static MethodInfo Function(string name) => Functions.SingleOrDefault(f => NameOf(f) == name)
        ?? throw new ArgumentException($"The Functions app has no function named {name}.", nameof(name));

    public static HttpTriggerAttribute? HttpTriggerOf(MethodInfo function) =>
        function.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null);

    /// <summary>Composes the app with exactly these settings, as configuration would hand them to Program.cs.</summary>
    public static FunctionsApp Compose(IReadOnlyDictionary<string, string?> settings, string environment = "Test", Action<IServiceCollection>? configure = null)
    {
        var builder = FunctionsApplication.CreateBuilder(["--environment", environment]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWebhookFunctions();
        configure?.Invoke(builder.Services);
        return new FunctionsApp(builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>Activates the function's class from a request scope, as the worker's function activator does.</summary>
    public static object? Activate(IServiceProvider scope, MethodInfo function) =>
        function.IsStatic ? null : ActivatorUtilities.CreateInstance(scope, function.DeclaringType!);

    /// <summary>
    /// Invokes an HTTP function with a real DefaultHttpContext (its RequestServices a fresh scope), binding the route
    /// values from the trigger's route under <paramref name="routePrefix"/>, and executes the IActionResult into it.
    /// </summary>
    public async Task<CapturedResponse> InvokeHttpAsync(string name, ParityRequest request, string routePrefix)
    {
        var function = Function(name);
        var trigger = HttpTriggerOf(function) ?? throw new ArgumentException($"{name} is not an HTTP function.", nameof(name));
        Assert.Contains(request.Method, trigger.Methods!, StringComparer.OrdinalIgnoreCase);
        var path = request.PathAndQuery.Split('?', 2);
        var routeValues = new RouteValueDictionary();
        var matcher = new TemplateMatcher(TemplateParser.Parse($"{routePrefix}/{trigger.Route}"), new RouteValueDictionary());
        Assert.True(matcher.TryMatch(path[0], routeValues), $"{request.PathAndQuery} does not match {name}'s route {routePrefix}/{trigger.Route}.");

        await using var scope = Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = request.Method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1");
        context.Request.Path = path[0];
        context.Request.QueryString = path.Length == 2 ? new QueryString("?" + path[1]) : QueryString.Empty;
        foreach (var (header, value) in request.Headers)
        {
            context.Request.Headers[header] = value;
        }
        if (request.Body is { } body)
        {
            context.Request.ContentType = request.ContentType;
            context.Request.ContentLength = body.Length;
            context.Request.Body = new MemoryStream(body);
        }
        else if (!HttpMethods.IsGet(request.Method))
        {
            // What HttpClient sends for a POST without content, and so what the self-host sees.
            context.Request.ContentLength = 0;
        }
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.RouteValues = routeValues;
        using var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var instance = Activate(scope.ServiceProvider, function);
        var arguments = function.GetParameters().Select(p => Bind(p, context, routeValues)).ToArray();
        var result = function.Invoke(instance, arguments) switch
        {
            Task<IActionResult> pending => await pending,
            IActionResult done => done,
            var other => throw new NotSupportedException($"{name} returns {other?.GetType().Name ?? "null"}; HTTP functions here return IActionResult."),
        };
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(routeValues), new ActionDescriptor()));

        return CapturedResponse.From(context.Response, responseBody.ToArray());
    }

    /// <summary>Invokes a timer function as its schedule would.</summary>
    public async Task InvokeTimerAsync(string name, CancellationToken cancellationToken = default)
    {
        var function = Function(name);
        await using var scope = Services.CreateAsyncScope();
        var instance = Activate(scope.ServiceProvider, function);
        var arguments = function.GetParameters().Select(p => p.ParameterType == typeof(TimerInfo) ? new TimerInfo()
            : p.ParameterType == typeof(CancellationToken) ? (object)cancellationToken
            : throw new NotSupportedException($"{name} binds {p.ParameterType.Name} {p.Name}, which this test does not bind.")).ToArray();
        await (Task)function.Invoke(instance, arguments)!;
    }

    /// <summary>Invokes a queue function with a message as the queue handed it over; the task faults when the function throws.</summary>
    public async Task InvokeQueueAsync(string name, QueueMessage message, CancellationToken cancellationToken = default)
    {
        var function = Function(name);
        await using var scope = Services.CreateAsyncScope();
        var instance = Activate(scope.ServiceProvider, function);
        var arguments = function.GetParameters().Select(p => p.ParameterType == typeof(QueueMessage) ? message
            : p.ParameterType == typeof(CancellationToken) ? (object)cancellationToken
            : throw new NotSupportedException($"{name} binds {p.ParameterType.Name} {p.Name}, which this test does not bind.")).ToArray();
        await (Task)function.Invoke(instance, arguments)!;
    }

    // The bindings these functions use: the request, route values by parameter name (as the worker's binding data), the token.
    private static object? Bind(ParameterInfo parameter, HttpContext context, RouteValueDictionary routeValues) =>
        parameter.ParameterType == typeof(HttpRequest) ? context.Request
        : parameter.ParameterType == typeof(CancellationToken) ? context.RequestAborted
        : parameter.ParameterType == typeof(string) && routeValues.TryGetValue(parameter.Name!, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)
        : throw new NotSupportedException($"{parameter.Member.Name} binds {parameter.ParameterType.Name} {parameter.Name}, which this test does not bind.");

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
