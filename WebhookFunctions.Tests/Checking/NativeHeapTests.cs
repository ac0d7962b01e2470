using System.Runtime.InteropServices;
using WebhookFunctions.Domain.Checking;

namespace WebhookFunctions.Tests.Checking;

// The sweep hands the C heap's free pages back after every batch. Measured on the pages of one region (mincore). The C
// heap is shared by the whole process: tests running beside this one reuse the freed pages (30% of the region was
// resident again once in CI), so it runs alone. Alone it measures 8-14% after the trim (the kept blocks pin about 8%);
// without the trim, 100%.
[Collection(NativeHeapCollectionDefinition.Name)]
public sealed class NativeHeapTests
{
    private const int Block = 1024;
    private const int Blocks = 32 * 1024; // 32 MiB: inside one of glibc's 64 MiB arena heaps, so the region has no gaps
    private const int KeepOneIn = 64;     // one 1 KiB block kept in every 64 KiB: the pages between are free

    [Fact]
    public void Free_pages_the_c_heap_kept_go_back_to_the_operating_system()
    {
        Assert.True(OperatingSystem.IsLinux(), "The service's images and CI run on Linux with glibc; this test measures glibc.");
        (double AfterFree, double AfterTrim) resident = default;
        Exception? failure = null;
        // A thread of its own, so the blocks come from an arena of their own, as a sweep's worker threads' do.
        var thread = new Thread(() =>
        {
            try
            {
                resident = Measure();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();

        Assert.Null(failure);
        Assert.True(resident.AfterFree > 0.9, $"before: {resident.AfterFree:P0} of the region resident (freeing alone keeps the pages)");
        Assert.True(resident.AfterTrim < 0.5, $"after: {resident.AfterTrim:P0} of the region resident");
    }

    /// <summary>Allocates and touches the blocks, frees all but one in <see cref="KeepOneIn"/>, and measures before and after the trim.</summary>
    private static (double AfterFree, double AfterTrim) Measure()
    {
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Block);
            Marshal.WriteByte(blocks[i], 1);
            Marshal.WriteByte(blocks[i], Block - 1, 1);
        }
        var start = blocks.Min(b => b.ToInt64());
        var end = blocks.Max(b => b.ToInt64()) + Block;
        for (var i = 0; i < Blocks; i++)
        {
            if (i % KeepOneIn != KeepOneIn - 1)
            {
                Marshal.FreeHGlobal(blocks[i]);
            }
        }
        var afterFree = ResidentShare(start, end);

        NativeHeap.ReturnFreePages();

        var afterTrim = ResidentShare(start, end);
        for (var i = KeepOneIn - 1; i < Blocks; i += KeepOneIn)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }
        return (afterFree, afterTrim);
    }

    /// <summary>The share of the pages in [start, end) that are resident.</summary>
    private static double ResidentShare(long start, long end)
    {
        var page = Environment.SystemPageSize;
        var first = start / page * page;
        var pages = (int)((end - first + page - 1) / page);
        var resident = new byte[pages];
        Assert.Equal(0, MinCore(new IntPtr(first), (nuint)(pages * (long)page), resident));
        return resident.Count(r => (r & 1) == 1) / (double)pages;
    }

    [DllImport("libc.so.6", EntryPoint = "mincore", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MinCore(IntPtr address, nuint length, [Out] byte[] residency);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapCollectionDefinition
{
    public const string Name = "Native heap";
}
