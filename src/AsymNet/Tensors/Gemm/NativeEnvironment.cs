using System.Runtime.InteropServices;

namespace AsymNet.Tensors.Gemm;

/// <summary>
/// The C library's environment (setenv/unsetenv). .NET's Environment.SetEnvironmentVariable only changes a managed
/// copy on Unix, but a native library such as OpenBLAS reads getenv() when it is loaded, so a variable meant for it
/// must be changed here, before the load.
/// </summary>
internal static unsafe class NativeEnvironment
{
    private static readonly Lazy<(nint Set, nint Unset)> Functions = new(() =>
    {
        var libc = NativeLibrary.Load("libc.so.6");
        return (NativeLibrary.GetExport(libc, "setenv"), NativeLibrary.GetExport(libc, "unsetenv"));
    });

    /// <summary>Sets (value not null) or removes (value null) a variable in both the native and the managed environment.</summary>
    public static void Set(string name, string? value)
    {
        if (OperatingSystem.IsLinux())
        {
            var nameUtf8 = System.Text.Encoding.UTF8.GetBytes(name + "\0");
            fixed (byte* pName = nameUtf8)
            {
                int rc;
                if (value is null)
                    rc = ((delegate* unmanaged<byte*, int>)Functions.Value.Unset)(pName);
                else
                {
                    var valueUtf8 = System.Text.Encoding.UTF8.GetBytes(value + "\0");
                    fixed (byte* pValue = valueUtf8)
                        rc = ((delegate* unmanaged<byte*, byte*, int, int>)Functions.Value.Set)(pName, pValue, 1);
                }
                if (rc != 0) throw new InvalidOperationException($"Could not change environment variable {name} (libc returned {rc}).");
            }
        }
        Environment.SetEnvironmentVariable(name, value);
    }
}
