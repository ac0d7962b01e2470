using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WebhookFunctions.Domain.Api;

namespace WebhookFunctions.SelfHost;

/// <summary>
/// The one place the OpenAPI document is described: the endpoint conventions the routes use, and the document and
/// operation transformers. Its output is committed as WebhookFunctions.Domain/Api/openapi.v1.json (see ApiDocument).
/// </summary>
internal static class ApiDescription
{
    public const string DocumentName = "v1";
    public const string ManagementKeyHeaderScheme = "ManagementKey";
    public const string ManagementKeyQueryScheme = "ManagementKeyQuery";
    public const string UpdateSchema = "TelegramUpdate";

    // What each problem status means here; the README's error table says the same.
    private static readonly Dictionary<string, string> ProblemDescriptions = new()
    {
        ["400"] = "The request is not valid; `errors` names each field and the rule it broke.",
        ["401"] = "The management key is missing or wrong.",
        ["403"] = "The request does not come from Telegram's address ranges (UpdateQueue:AllowTelegramSourceRangesOnly).",
        ["404"] = "The bot is unknown or has no active Telegram credential.",
        ["408"] = "The request body arrived too slowly (the self-host's Http:MinRequestBodyDataRate).",
        ["409"] = "Conflicts with what is stored or running.",
        ["413"] = "The request body is too large.",
        ["415"] = "The request body is not application/json.",
        ["422"] = "The stored credential cannot be used: not well-formed, or Telegram rejected the token or the request.",
        ["429"] = "Telegram's rate limit; the Retry-After header and `retry_after` say when to try again.",
        ["500"] = "The request failed; see the service log.",
        ["502"] = "Telegram failed or could not be reached.",
        ["503"] = "A dependency is not available (public webhook URL, update queue or database); try again later.",
        ["504"] = "Telegram did not answer within Telegram:Timeout.",
    };

    // The receiver's refusals (Telegram redelivers after any of them); see docs/receiver.md.
    private static readonly Dictionary<string, string> DeliveryProblemDescriptions = new()
    {
        ["400"] = "The body is not a Telegram Update: a JSON object with an integer update_id.",
        ["401"] = "The secret header is missing or does not match the bot's webhook secret (an unknown bot answers alike).",
        ["403"] = ProblemDescriptions["403"],
        ["404"] = "The bot's webhook is disabled or its credential was replaced or deactivated.",
        ["408"] = ProblemDescriptions["408"],
        ["413"] = "The body is larger than UpdateQueue:MaxBodyBytes or one queue message.",
        ["500"] = ProblemDescriptions["500"],
        ["503"] = "The update queue cannot take the update now; Telegram delivers it again.",
    };

    public static IServiceCollection AddWebhookApiDescription(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddSchemaTransformer(DescribeProblemSchemaAsync);
            options.AddSchemaTransformer(DescribeEnumSchemaAsync);
            options.AddOperationTransformer(DescribeOperationAsync);
            options.AddDocumentTransformer(DescribeDocumentAsync);
        });

    /// <summary>The generated document as committed: OpenAPI 3.1 JSON, LF line ends, a final newline.</summary>
    public static async Task<byte[]> GenerateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        text.Write('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Operation id (the Functions app's function name) and summary.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string operationId, string summary) =>
        builder.WithName(operationId).WithSummary(summary);

    /// <summary>A management route: the key is required (401 without it), and the pipeline may answer 500.</summary>
    public static RouteHandlerBuilder RequiresManagementKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ManagementKeyRequired()).ProducesProblem(401).ProducesProblem(500);

    /// <summary>
    /// An optional or required JSON body, documented without Accepts metadata (which would make routing answer a wrong
    /// content type itself; the library answers it, as it does under Functions): 400, 413 and 415 come with it.
    /// </summary>
    public static RouteHandlerBuilder ReadsJsonBody<T>(this RouteHandlerBuilder builder, bool required) =>
        builder.ProducesValidationProblem().ProducesProblem(408).ProducesProblem(413).ProducesProblem(415)
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = required,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            });

    /// <summary>A route that calls the Bot API with the stored token, and so answers Telegram's failures.</summary>
    public static RouteHandlerBuilder CallsTelegram(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(404).ProducesProblem(422).ProducesProblem(429).ProducesProblem(502).ProducesProblem(504);

    /// <summary>The route serving this document: 200 with a JSON object, nothing else.</summary>
    public static RouteHandlerBuilder ServesTheDocument(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "The OpenAPI 3.1 document both hosts serve.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
            };
            return Task.CompletedTask;
        });

    /// <summary>The fleet list's page and size, with the bounds CheckerApi enforces, and its contested filter.</summary>
    public static RouteHandlerBuilder PagedByQuery(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(QueryInteger("page", "The page, from 1.", 1, CheckerApi.MaxPage, 1));
            operation.Parameters.Add(QueryInteger("size", "Bots per page.", 1, CheckerApi.MaxPageSize, CheckerApi.DefaultPageSize));
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "contested",
                In = ParameterLocation.Query,
                Description = "true: only contested bots; false: only bots that are not; absent: all.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean },
            });
            return Task.CompletedTask;
        });

    /// <summary>The receiver: one Telegram Update as the body, Telegram's secret header instead of the management key.</summary>
    public static RouteHandlerBuilder ReceivesTelegramUpdates(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new TelegramDelivery()).AddOpenApiOperationTransformer((operation, context, _) =>
        {
            var document = context.Document!;
            document.AddComponent(UpdateSchema, new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "One Telegram Update (https://core.telegram.org/bots/api#update): an integer update_id "
                    + "and at most one optional field naming the update's type (message, callback_query, ...).",
                Required = new HashSet<string> { "update_id" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["update_id"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "The update's identifier; a redelivered one is enqueued once." },
                },
                AdditionalPropertiesAllowed = true,
            });
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(UpdateSchema, document) },
                },
            };
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = ReceiverApi.SecretHeader,
                In = ParameterLocation.Header,
                Required = true,
                Description = "The secret_token set with the webhook; Telegram sends it with every delivery.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 256, Pattern = "^[A-Za-z0-9_-]+$" },
            });
            return Task.CompletedTask;
        });

    private static OpenApiParameter QueryInteger(string name, string description, int minimum, int maximum, int fallback) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = minimum.ToString(CultureInfo.InvariantCulture),
            Maximum = maximum.ToString(CultureInfo.InvariantCulture),
            Default = JsonValue.Create(fallback),
        },
    };

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // Either one: the header, or the code query parameter (the Azure Functions convention). The others say "none" outright.
        operation.Security = context.Description.ActionDescriptor.EndpointMetadata.OfType<ManagementKeyRequired>().Any()
            ?
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ManagementKeyHeaderScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ManagementKeyQueryScheme, context.Document)] = [] },
            ]
            : [];
        var delivery = context.Description.ActionDescriptor.EndpointMetadata.OfType<TelegramDelivery>().Any();
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.Name == "botId") ?? [])
        {
            parameter.Description = delivery
                ? "The bot's id, a UUID, as in the webhook URL the service set; any other value is answered like a wrong secret (401)."
                : "The bot's id, a UUID; anything else is 400 naming bot_id.";
            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" };
        }
        var descriptions = delivery ? DeliveryProblemDescriptions : ProblemDescriptions;
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is OpenApiResponse problem && descriptions.TryGetValue(status, out var description))
            {
                problem.Description = description;
            }
        }
        return Task.CompletedTask;
    }

    // Every problem the library writes has type, title, status and detail, and may carry extensions (retry_after, ...).
    private static Task DescribeProblemSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type != typeof(ProblemDetails) && type != typeof(HttpValidationProblemDetails))
        {
            return Task.CompletedTask;
        }
        schema.AdditionalProperties = null;
        schema.AdditionalPropertiesAllowed = true;
        schema.Required = new HashSet<string> { "type", "title", "status", "detail" };
        if (type == typeof(HttpValidationProblemDetails))
        {
            schema.Required.Add("errors");
        }
        foreach (var name in schema.Required)
        {
            if (schema.Properties is not null && schema.Properties.TryGetValue(name, out var found) && found is OpenApiSchema { Type: { } propertyType } property)
            {
                property.Type = propertyType & ~JsonSchemaType.Null;
            }
        }
        return Task.CompletedTask;
    }

    // A state enum is a string of one of its snake_case names; where a property may be null, that property says so
    // (oneOf null), so the shared enum schema must not list null for the properties that never are.
    private static Task DescribeEnumSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum && schema.Enum is { } names)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. names.Where(name => name is not null)];
        }
        return Task.CompletedTask;
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "WebhookFunctions",
            Version = "v1",
            Description = "Sets, inspects and removes the Telegram webhooks of a fleet of bots, repairs them on a timer, "
                + "and receives the updates Telegram delivers. Management routes need the key in the x-functions-key header "
                + "or the code query parameter.",
        };
        // Relative, so the document is the same whoever serves it: never the Host header a request happened to send.
        document.Servers = [new OpenApiServer { Url = "/" }];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Credentials", Description = "A bot's Telegram credential: register, replace the token, list, deactivate." },
            new() { Name = "Webhooks", Description = "Set, inspect and delete a bot's webhook at Telegram." },
            new() { Name = "Checker", Description = "The sweep that checks and repairs every bot's webhook, and the fleet overview." },
            new() { Name = "Receiver", Description = "Where Telegram delivers updates; they go on the update queue." },
            new() { Name = "Health", Description = "Liveness and this document; no key needed." },
        };
        document.AddComponent(ManagementKeyHeaderScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiDocument.ManagementKeyHeader,
            Description = "A management key (Auth:ApiKeys).",
        });
        document.AddComponent(ManagementKeyQueryScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = ApiDocument.ManagementKeyQuery,
            Description = "A management key (Auth:ApiKeys) as the code query parameter, the Azure Functions convention.",
        });
        return Task.CompletedTask;
    }

    /// <summary>Marks a route that needs the management key.</summary>
    private sealed class ManagementKeyRequired;

    /// <summary>Marks the route Telegram delivers to.</summary>
    private sealed class TelegramDelivery;
}
