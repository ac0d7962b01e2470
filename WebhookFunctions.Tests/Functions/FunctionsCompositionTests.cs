using Microsoft.Extensions.DependencyInjection;

namespace WebhookFunctions.Tests.Functions;

// Issue 9 item 4a: the service collection as Program.cs composes it builds with ValidateOnBuild and ValidateScopes,
// and every function class resolves from it.
public sealed class FunctionsCompositionTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Database:SqlitePath"] = Path.Combine(Path.GetTempPath(), "webhookfunctions-tests", "composition-never-opened.db"),
        ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9",
        ["Webhook:Mode"] = "Domain",
        ["Webhook:Domain"] = "https://hooks.example.test",
        ["Auth:ApiKeys:0"] = "test-management-key-0123456789abcdef",
        ["UpdateQueue:ConnectionString"] = "UseDevelopmentStorage=true",
    };

    // The worker creates an instance only for a function declared on an instance method; static ones need none.
    public static TheoryData<string> FunctionClasses =>
        new(FunctionsApp.Functions.Where(f => !f.IsStatic).Select(f => f.DeclaringType!.FullName!).Distinct());

    [Fact]
    public async Task Services_build_with_scope_and_build_validation()
    {
        var error = await Record.ExceptionAsync(async () => await FunctionsApp.Compose(Settings).DisposeAsync());

        Assert.Null(error);
    }

    [Fact]
    public void The_validation_is_on_a_singleton_capturing_a_scoped_service_fails_the_build()
    {
        var error = Record.Exception(() => FunctionsApp.Compose(Settings, configure: s => s.AddSingleton<CapturesScopedApi>()));

        Assert.Contains(nameof(CapturesScopedApi), Assert.IsType<AggregateException>(error).Message);
    }

    [Fact]
    public void Reflection_finds_every_function_the_build_generated_metadata_for()
    {
        var reflected = FunctionsApp.Functions.Select(FunctionsApp.NameOf).Order(StringComparer.Ordinal);
        var generated = FunctionsAppOutput.FunctionsMetadata().Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);

        Assert.Equal(generated, reflected);
    }

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public async Task Function_class_resolves_from_a_request_scope(string className)
    {
        await using var app = FunctionsApp.Compose(Settings);
        var function = FunctionsApp.Functions.First(f => f.DeclaringType!.FullName == className);
        await using var scope = app.Services.CreateAsyncScope();

        var instance = FunctionsApp.Activate(scope.ServiceProvider, function);

        Assert.IsType(function.DeclaringType!, instance);
    }

    private sealed class CapturesScopedApi(WebhookFunctions.Domain.Api.WebhookApi api)
    {
        public WebhookFunctions.Domain.Api.WebhookApi Api { get; } = api;
    }
}
