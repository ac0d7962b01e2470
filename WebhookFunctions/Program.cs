using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookFunctions.Domain;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Dependency tracking would record every outgoing URL, and Bot API URLs carry the bot token (/bot<token>/...).
builder.Services.AddApplicationInsightsTelemetryWorkerService(o => o.EnableDependencyTrackingTelemetryModule = false)
    .ConfigureFunctionsApplicationInsights();
builder.Services.AddWebhookManagement(builder.Configuration);

builder.Build().Run();
