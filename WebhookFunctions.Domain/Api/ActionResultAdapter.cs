using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace WebhookFunctions.Domain.Api;

/// <summary>Lets the Functions host (which returns IActionResult) write exactly what the self-host writes for an IResult.</summary>
public static class ActionResultAdapter
{
    public static IActionResult ToActionResult(this IResult result) => new ResultAction(result);

    private sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
