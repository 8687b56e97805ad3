using System.CommandLine;
using AsymNet.Tensors;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym env`: the <see cref="ComputeEnvironment"/> this process runs with (the object run manifests embed).</summary>
public static class InfoEnvCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the compute environment as JSON (as embedded in run manifests)." };
        var cmd = new Command("env", "Print the compute environment: CPU, SIMD width, BLAS and its core type, threading policy, .NET, git commit.");
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            var env = ComputeEnvironment.Capture();
            if (parse.GetValue(json)) Console.WriteLine(env.ToJson());
            else Render(env);
            return 0;
        });
        return cmd;
    }

    private static void Render(ComputeEnvironment env)
    {
        var table = new Table().Border(TableBorder.Simple).HideHeaders();
        table.AddColumns("Item", "Value");
        void Row(string item, string? value) => table.AddRow(item, Markup.Escape(value ?? "-"));
        Row("CPU", env.CpuModel);
        Row("cores", env.Cores.ToString());
        Row("SIMD", $"Vector{env.VectorBits} ({string.Join(", ", env.Isa)})");
        Row("kernel paths", $"{env.Kernels} (vectors, 3×3 convolutions; ${KernelPaths.EnvironmentVariable})");
        Row("BLAS", env.Blas);
        Row("BLAS threads", env.BlasThreads.ToString());
        if (env.BlasConfig is not null) Row("OpenBLAS config", env.BlasConfig);
        if (env.OpenBlasCoreType is { } ct)
            Row("OPENBLAS_CORETYPE", $"{ct.Applied ?? "unset"} (inherited: {ct.Inherited ?? "unset"}; {ct.Rule})");
        Row("threading", $"{env.Threading.Text} ({env.Threading.Source})");
        Row(".NET", env.DotNet);
        Row("OS", env.Os);
        Row("git commit", env.GitCommit);
        TableOutput.Write(table);
    }
}
