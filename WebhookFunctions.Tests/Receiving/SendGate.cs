using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookFunctions.Tests.Receiving;

/// <summary>Holds the first message sent to the queue until released, so a test can overlap two deliveries for certain.</summary>
internal sealed class SendGate : HttpPipelinePolicy
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sends;

    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Method == RequestMethod.Post && Interlocked.Increment(ref _sends) == 1)
        {
            _reached.TrySetResult();
            await _released.Task;
        }
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The queue is used asynchronously only.");
}
