using WebhookFunctions.SelfHost;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebhookSelfHost();

var app = builder.Build();
app.UseWebhookSelfHost();
app.Run();
