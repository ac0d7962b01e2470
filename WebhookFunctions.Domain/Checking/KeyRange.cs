using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Domain.Checking;

/// <summary>A range of credential ids: after <see cref="After"/> (exclusive), up to <see cref="Through"/> (inclusive); null is open.</summary>
internal readonly record struct KeyRange(Guid? After, Guid? Through)
{
    public static KeyRange All => default;

    public IQueryable<BotPlatformCredential> Within(IQueryable<BotPlatformCredential> credentials)
    {
        if (After is { } after)
        {
            credentials = credentials.Where(c => c.Id > after);
        }
        if (Through is { } through)
        {
            credentials = credentials.Where(c => c.Id <= through);
        }
        return credentials;
    }
}
