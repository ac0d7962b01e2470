using WebhookFunctions.SelfHost;

SelfHostApp.Build(args).Run();
