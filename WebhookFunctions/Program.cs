using Microsoft.Azure.Functions.Worker.Builder;
using WebhookFunctions;
using WebhookFunctions.Domain.Startup;

var builder = FunctionsApplication.CreateBuilder(args);
builder.AddWebhookFunctions();

// Every missing or invalid setting is reported at once, exit code 1, before the worker starts.
return StartupReport.Run(builder.Build);
