using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WebhookFunctions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.AddWebhookFunctions();

builder.Build().Run();
