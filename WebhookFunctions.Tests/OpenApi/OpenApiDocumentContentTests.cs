using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Checking;

namespace WebhookFunctions.Tests.OpenApi;

// What a client generator needs from the document both hosts serve (the embedded bytes; OpenApiServingTests shows
// they are what is served).
public sealed class OpenApiDocumentContentTests
{
    private static readonly string[] Unauthenticated = [ApiOperations.ReceiveTelegramUpdate, ApiOperations.Health, ApiOperations.GetOpenApiDocument, ApiOperations.Dashboard, ApiOperations.DashboardFile];

    private static JsonObject Document { get; } = JsonNode.Parse(ApiDocument.Bytes.Span)!.AsObject();

    public static TheoryData<string> ManagementOperations { get; } = new(AllOperationIds().Except(Unauthenticated));

    // Every status each route can answer, read from the Api layer: the key check (401) and the pipeline's catch-all
    // (500) on every management route; a botId that is not a UUID (400); a body (400, 413, 415); a stored credential
    // the route uses with Telegram (404, 422 invalid or rejected, 429, 502, 504).
    public static TheoryData<string, string[]> ErrorStatuses { get; } = new()
    {
        { ApiOperations.RegisterCredential, ["400", "401", "408", "409", "413", "415", "500"] },
        { ApiOperations.ListCredentials, ["400", "401", "500"] },
        { ApiOperations.ReplaceCredential, ["400", "401", "408", "409", "413", "415", "500"] },
        { ApiOperations.DeactivateCredential, ["400", "401", "404", "500"] },
        { ApiOperations.SetWebhook, ["400", "401", "404", "408", "409", "413", "415", "422", "429", "500", "502", "503", "504"] },
        { ApiOperations.GetWebhookStatus, ["400", "401", "404", "422", "429", "500", "502", "504"] },
        { ApiOperations.DeleteWebhook, ["400", "401", "404", "408", "413", "415", "422", "429", "500", "502", "504"] },
        { ApiOperations.CheckWebhooks, ["401", "409", "500", "503"] },
        { ApiOperations.ListWebhooks, ["400", "401", "500"] },
        { ApiOperations.ReceiveTelegramUpdate, ["400", "401", "403", "404", "408", "413", "500", "503"] },
        { ApiOperations.Health, ["503"] },
        { ApiOperations.GetOpenApiDocument, [] },
        { ApiOperations.GetWebhookHistory, ["400", "401", "404", "500"] },
        { ApiOperations.FleetSummary, ["401", "500"] },
        { ApiOperations.Dashboard, ["500"] },
        { ApiOperations.DashboardFile, ["404", "500"] },
    };

    [Fact]
    public void The_management_key_is_two_api_key_schemes_header_and_query()
    {
        var schemes = Document["components"]!["securitySchemes"]!.AsObject();

        Assert.Equal(2, schemes.Count);
        Assert.Contains(schemes, s => Is(s.Value!, "apiKey", "header", ManagementKeys.HeaderName));
        Assert.Contains(schemes, s => Is(s.Value!, "apiKey", "query", ManagementKeys.QueryName));
    }

    [Theory]
    [MemberData(nameof(ManagementOperations))]
    public void A_management_operation_needs_the_key_in_the_header_or_the_query(string operationId)
    {
        var schemes = Document["components"]!["securitySchemes"]!.AsObject();

        var alternatives = Operation(operationId)["security"]!.AsArray().Select(r => r!.AsObject().Single().Key).ToList();

        Assert.Equal(2, alternatives.Count);
        Assert.Contains(alternatives, name => schemes[name]!["in"]!.GetValue<string>() == "header");
        Assert.Contains(alternatives, name => schemes[name]!["in"]!.GetValue<string>() == "query");
    }

    [Theory]
    [InlineData(ApiOperations.ReceiveTelegramUpdate)]
    [InlineData(ApiOperations.Health)]
    [InlineData(ApiOperations.GetOpenApiDocument)]
    public void The_receiver_health_and_the_document_need_no_key(string operationId)
    {
        Assert.Null(Document["security"]);
        Assert.Empty(Operation(operationId)["security"]!.AsArray());
    }

    [Fact]
    public void Every_operation_has_a_unique_operationId_that_is_a_function_name_and_a_summary()
    {
        var operations = Operations().ToList();

        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), $"{o.Method} {o.Path} has no summary"));
        var ids = operations.Select(o => o.Operation["operationId"]?.GetValue<string>()).ToList();
        Assert.Equal(AllOperationIds().Order(), ids.Order());
    }

    [Fact]
    public void Every_botId_path_parameter_is_a_uuid_string()
    {
        var parameters = Operations()
            .Where(o => o.Path.Contains("{botId}", StringComparison.Ordinal))
            .Select(o => o.Operation["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "botId")!)
            .ToList();

        Assert.Equal(9, parameters.Count);
        Assert.All(parameters, p =>
        {
            Assert.Equal("path", p["in"]!.GetValue<string>());
            Assert.True(p["required"]!.GetValue<bool>());
            Assert.Equal("string", p["schema"]!["type"]!.GetValue<string>());
            Assert.Equal("uuid", p["schema"]!["format"]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData("page", 1, CheckerApi.MaxPage, 1)]
    [InlineData("size", 1, FleetQuery.MaxPageSize, CheckerApi.DefaultPageSize)]
    public void The_fleet_list_takes_page_and_size_with_the_bounds_the_api_enforces(string name, int minimum, int maximum, int fallback)
    {
        var parameter = Operation(ApiOperations.ListWebhooks)["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!;

        Assert.Equal("query", parameter["in"]!.GetValue<string>());
        Assert.Equal("integer", parameter["schema"]!["type"]!.GetValue<string>());
        Assert.Equal(minimum, parameter["schema"]!["minimum"]!.GetValue<int>());
        Assert.Equal(maximum, parameter["schema"]!["maximum"]!.GetValue<int>());
        Assert.Equal(fallback, parameter["schema"]!["default"]!.GetValue<int>());
    }

    [Fact]
    public void The_receiver_takes_a_Telegram_Update_with_an_integer_update_id_and_the_secret_header()
    {
        var receiver = Operation(ApiOperations.ReceiveTelegramUpdate);

        var body = receiver["requestBody"]!;
        Assert.True(body["required"]!.GetValue<bool>());
        var update = Resolve(body["content"]!["application/json"]!["schema"]!);
        Assert.Equal("object", update["type"]!.GetValue<string>());
        Assert.Equal(["update_id"], update["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("integer", update["properties"]!["update_id"]!["type"]!.GetValue<string>());
        var otherFields = update["additionalProperties"];
        Assert.True(otherFields is null || otherFields.GetValueKind() == JsonValueKind.True, "an Update's other fields are allowed");
        var secret = receiver["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == ReceiverApi.SecretHeader)!;
        Assert.Equal("header", secret["in"]!.GetValue<string>());
        Assert.True(secret["required"]!.GetValue<bool>());
    }

    [Fact]
    public void No_number_is_also_typed_string_anywhere()
    {
        var unions = new List<string>();
        Walk(Document, "#", unions);

        Assert.Empty(unions);
    }

    [Fact]
    public void Integer_fields_of_the_responses_are_typed_integer()
    {
        var schemas = Document["components"]!["schemas"]!;

        Assert.Equal("integer", schemas["FleetPage"]!["properties"]!["total"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", schemas["SweepReport"]!["properties"]!["checked"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", schemas["ProblemDetails"]!["properties"]!["status"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(ErrorStatuses))]
    public void An_operation_lists_every_error_status_it_can_answer_as_problem_json(string operationId, string[] statuses)
    {
        var responses = Operation(operationId)["responses"]!.AsObject();

        Assert.Equal(statuses, responses.Select(r => r.Key).Where(s => s[0] is '4' or '5').Order());
        Assert.All(statuses, status =>
        {
            var problem = Resolve(responses[status]!["content"]!["application/problem+json"]!["schema"]!);
            Assert.Equal(["detail", "status", "title", "type"], problem["required"]!.AsArray().Select(r => r!.GetValue<string>()).Except(["errors"]).Order());
        });
    }

    [Theory]
    [InlineData(ApiOperations.RegisterCredential)]
    [InlineData(ApiOperations.ListCredentials)]
    [InlineData(ApiOperations.ReplaceCredential)]
    [InlineData(ApiOperations.DeactivateCredential)]
    [InlineData(ApiOperations.SetWebhook)]
    [InlineData(ApiOperations.GetWebhookStatus)]
    [InlineData(ApiOperations.DeleteWebhook)]
    [InlineData(ApiOperations.ListWebhooks)]
    public void A_validation_problem_names_the_fields_in_errors(string operationId)
    {
        var problem = Resolve(Operation(operationId)["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!);

        Assert.Contains("errors", problem["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        var errors = problem["properties"]!["errors"]!;
        Assert.Equal("object", errors["type"]!.GetValue<string>());
        Assert.Equal("array", errors["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.Equal("string", errors["additionalProperties"]!["items"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_only_server_is_relative()
    {
        var servers = Document["servers"]!.AsArray();

        Assert.Equal("/", Assert.Single(servers)!["url"]!.GetValue<string>());
    }

    private static IEnumerable<string> AllOperationIds() =>
        typeof(ApiOperations).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        Document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (path.Key, op.Key, op.Value!.AsObject())));

    private static JsonObject Operation(string operationId) =>
        Operations().Single(o => o.Operation["operationId"]?.GetValue<string>() == operationId).Operation;

    private static JsonObject Resolve(JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Document["components"]!["schemas"]![reference.Split('/')[^1]]!.AsObject()
            : schema.AsObject();

    private static bool Is(JsonNode scheme, string type, string location, string name) =>
        scheme["type"]!.GetValue<string>() == type && scheme["in"]!.GetValue<string>() == location && scheme["name"]!.GetValue<string>() == name;

    private static void Walk(JsonNode? node, string pointer, List<string> unions)
    {
        if (node is JsonObject schema)
        {
            if (schema["type"] is JsonArray types)
            {
                var names = types.Select(t => t!.GetValue<string>()).ToList();
                if (names.Contains("string") && (names.Contains("integer") || names.Contains("number")))
                {
                    unions.Add($"{pointer}: [{string.Join(", ", names)}]");
                }
            }
            foreach (var (key, value) in schema)
            {
                Walk(value, $"{pointer}/{key}", unions);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], $"{pointer}/{i}", unions);
            }
        }
    }
}
