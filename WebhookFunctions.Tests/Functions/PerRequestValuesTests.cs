namespace WebhookFunctions.Tests.Functions;

// The parity comparison moves only the listed per-request values, and only when they have their kind.
public sealed class PerRequestValuesTests
{
    [Fact]
    public void Bodies_differing_only_in_stamped_times_and_a_new_id_compare_equal()
    {
        var first = Json("""{"id":"5c512b4e-afdd-4dcf-8681-cdc853e29f73","bot_id":"3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f","created_at":"2026-11-30T13:57:20.9493311Z","duration":"00:00:00.2037933"}""");
        var second = Json("""{"id":"920b5ab5-8855-421b-93fa-8430bbda8cb9","bot_id":"3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f","created_at":"2026-11-30T13:57:21.1141586Z","duration":"00:00:00.2159124"}""");

        Assert.Equal(PerRequestValues.Normalise(first), PerRequestValues.Normalise(second));
    }

    [Fact]
    public void A_difference_in_any_other_field_remains()
    {
        var first = Json("""{"bot_id":"3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f","created_at":"2026-11-30T13:57:20Z"}""");
        var second = Json("""{"bot_id":"00000000-8b7d-4c6e-9f10-2a3b4c5d6e7f","created_at":"2026-11-30T13:57:20Z"}""");

        Assert.NotEqual(PerRequestValues.Normalise(first), PerRequestValues.Normalise(second));
    }

    [Fact]
    public void A_listed_field_without_its_kind_is_not_moved()
    {
        var first = Json("""{"created_at":"2026-11-30T13:57:20Z"}""");
        var second = Json("""{"created_at":"yesterday"}""");

        Assert.NotEqual(PerRequestValues.Normalise(first), PerRequestValues.Normalise(second));
    }

    [Fact]
    public void Status_and_headers_are_never_moved()
    {
        var first = Json("{}");

        Assert.NotEqual(PerRequestValues.Normalise(first), PerRequestValues.Normalise(first with { RetryAfter = "17" }));
        Assert.NotEqual(PerRequestValues.Normalise(first), PerRequestValues.Normalise(first with { ContentType = "application/problem+json" }));
        Assert.NotEqual(PerRequestValues.Normalise(first), PerRequestValues.Normalise(first with { Status = 201 }));
    }

    private static CapturedResponse Json(string body) => new(200, "application/json; charset=utf-8", null, null, body);
}
