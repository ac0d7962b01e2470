using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WebhookFunctions;
using WebhookFunctions.Domain;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddWebhookManagement(builder.Configuration);
builder.Services.AddFunctionsTelemetry(builder.Configuration);

builder.Build().Run();
