using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Tests.Api;

namespace WebhookFunctions.Tests.OpenApi;

// One document, the same bytes wherever it is served, whoever asks.
public sealed class OpenApiServingTests : ApiTestBase
{
    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/v1/api/openapi/v1.json")]
    public async Task The_self_host_serves_the_committed_document_without_a_key(string route)
    {
        using var anonymous = Host.CreateClient();

        var response = await anonymous.GetAsync(route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ApiDocument.Bytes.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_Functions_app_writes_the_same_bytes_as_the_self_host()
    {
        // What ApiDocumentFunction returns, executed as the Functions host executes an IActionResult.
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        var body = new MemoryStream();
        context.Response.Body = body;
        using var anonymous = Host.CreateClient();

        await ApiDocument.Serve().ToActionResult().ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var served = await anonymous.GetAsync("/v1/api/openapi/v1.json");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(served.Content.Headers.ContentType?.ToString(), context.Response.ContentType);
        Assert.Equal(await served.Content.ReadAsByteArrayAsync(), body.ToArray());
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/v1/api/openapi/v1.json")]
    public async Task The_document_never_takes_its_server_from_the_Host_header(string route)
    {
        using var anonymous = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.Host = "forged-host.attacker.test:8443";

        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain("forged-host", document, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Host.BaseAddress.Authority, document, StringComparison.OrdinalIgnoreCase);
    }
}
