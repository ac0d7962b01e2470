using WebhookFunctions.Domain.Startup;
using WebhookFunctions.SelfHost;

return StartupReport.Run(() => SelfHostApp.Build(args));
