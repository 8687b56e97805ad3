using System.CommandLine;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Cli.Commands;

/// <summary>`asym env`: what this process would run with (BLAS, SIMD width, threads).</summary>
public static class InfoEnvCommand
{
    public static Command Create()
    {
        var cmd = new Command("env", "Print the compute environment: GEMM provider, SIMD width, thread settings.");
        cmd.SetAction(_ =>
        {
            Console.WriteLine($"gemm: {Blas.Current.Name}");
            Console.WriteLine($"cores: {Environment.ProcessorCount}");
            return 0;
        });
        return cmd;
    }
}
