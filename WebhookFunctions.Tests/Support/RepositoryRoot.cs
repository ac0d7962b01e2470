namespace WebhookFunctions.Tests.Support;

/// <summary>The clone the tests were built from (the folder holding WebhookFunctions.sln), for files outside the build output.</summary>
internal static class RepositoryRoot
{
    public static string? TryFind()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WebhookFunctions.sln")))
            {
                return folder.FullName;
            }
        }
        return null;
    }

    public static string Find() => TryFind() ?? throw new InvalidOperationException($"No WebhookFunctions.sln above {AppContext.BaseDirectory}.");
}
