using System.Runtime.InteropServices;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// Hands the C heap's free pages back to the operating system (glibc's malloc_trim, which releases free pages in every
/// arena, not only at the top of the heap). A sweep frees native memory (SQLite's pages and statements, socket
/// buffers) on many threads, and glibc keeps what each thread freed in that thread's arena: without this the resident
/// set grew with the length of the sweep, though nothing was kept (docs/checker.md, "Sweep memory"). Does nothing off
/// Linux or on a C library without malloc_trim.
/// </summary>
internal static class NativeHeap
{
    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the free pages; cheap enough to call after every batch of a sweep.</summary>
    public static void ReturnFreePages()
    {
        if (_unavailable)
        {
            return;
        }
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl (Alpine) has no malloc_trim: nothing to trim there.
            _unavailable = true;
        }
    }

    // glibc's soname: "libc" alone would make the loader look for libc.so, a linker script where it exists at all.
    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
