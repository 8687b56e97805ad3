using AsymNet.Tensors;

namespace AsymNet.Bayes;

/// <summary>
/// KL(q‖p) of one layer's ELRG posterior q = N(μ, D + αVᵀV), D = diag(s), against p = N(0, σ_p² I), in closed form:
/// ½[(Σs + α‖V‖²)/σ_p² − Σ log s − log det(I_k + αVD⁻¹Vᵀ) + ‖μ‖²/σ_p² + d(log σ_p² − 1)], the log-det of the d×d
/// covariance taken through the k×k capacitance matrix (matrix determinant lemma). Sums run over the trainable entries
/// only: a W-Asym layer's fixed entries are constants, not random variables. Accumulated in float64; differentiable in
/// μ, V and (when learned) log s.
/// </summary>
public static class ElrgKl
{
    /// <summary>One parameter tensor of the layer with its part of V ([rank, ...shape]) and of the diagonal.</summary>
    public sealed record Block(Tensor Mu, Tensor? V, Tensor? LogVariance, double FixedLogVariance, Tensor? Mask);

    public static Tensor Compute(IReadOnlyList<Block> blocks, int rank, double alpha, double priorVariance)
    {
        var k = rank;
        var g = new double[k, k];
        double sumS = 0, sumLogS = 0, mu2 = 0, v2 = 0;
        long d = 0;
        foreach (var b in blocks)
        {
            var n = b.Mu.Length;
            var mu = b.Mu.Span;
            var mask = b.Mask is null ? default : b.Mask.Span;
            var v = b.V is null ? default : b.V.Span;
            for (var j = 0; j < n; j++)
            {
                if (b.Mask is not null && mask[j] == 0f) continue;
                var logS = LogS(b, j);
                var s = Math.Exp(logS);
                d++;
                sumS += s;
                sumLogS += logS;
                mu2 += (double)mu[j] * mu[j];
                for (var r1 = 0; r1 < k; r1++)
                {
                    double a = v[r1 * n + j];
                    v2 += a * a;
                    for (var r2 = 0; r2 <= r1; r2++) g[r1, r2] += a * v[r2 * n + j] / s;
                }
            }
        }
        var c = new double[k, k];
        for (var r1 = 0; r1 < k; r1++)
            for (var r2 = 0; r2 <= r1; r2++)
                c[r1, r2] = c[r2, r1] = (r1 == r2 ? 1 : 0) + alpha * g[r1, r2];
        var (logDetC, cInv) = CholeskyLogDetInverse(c);
        var sp = priorVariance;
        var kl = 0.5 * ((sumS + alpha * v2) / sp - sumLogS - logDetC + mu2 / sp + d * (Math.Log(sp) - 1));
        var y = Tensor.Scalar((float)kl);
        var inputs = blocks.SelectMany(b => new[] { b.Mu, b.V, b.LogVariance }).OfType<Tensor>().ToArray();
        if (Autograd.NeedsGrad(inputs))
            Autograd.Record(y, inputs, gy => Backward(blocks, k, alpha, sp, cInv, gy.Span[0]));
        return y;
    }

    private static double LogS(Block b, int j) => b.LogVariance is null ? b.FixedLogVariance : b.LogVariance.Span[j];

    private static void Backward(IReadOnlyList<Block> blocks, int k, double alpha, double sp, double[,] cInv, float gy)
    {
        var cv = new double[k];
        foreach (var b in blocks)
        {
            var n = b.Mu.Length;
            var gMu = b.Mu.RequiresGrad ? Tensor.Zeros(b.Mu.Shape) : null;
            var gV = b.V is { RequiresGrad: true } ? Tensor.Zeros(b.V.Shape) : null;
            var gLog = b.LogVariance is { RequiresGrad: true } ? Tensor.Zeros(b.LogVariance.Shape) : null;
            var mu = b.Mu.Span;
            var mask = b.Mask is null ? default : b.Mask.Span;
            var v = b.V is null ? default : b.V.Span;
            for (var j = 0; j < n; j++)
            {
                if (b.Mask is not null && mask[j] == 0f) continue;
                var s = Math.Exp(LogS(b, j));
                if (gMu is not null) gMu.Span[j] = (float)(gy * mu[j] / sp);
                // (C⁻¹V)_r,j and the diagonal of VᵀC⁻¹V at j.
                double quad = 0;
                for (var r1 = 0; r1 < k; r1++)
                {
                    double acc = 0;
                    for (var r2 = 0; r2 < k; r2++) acc += cInv[r1, r2] * v[r2 * n + j];
                    cv[r1] = acc;
                    quad += v[r1 * n + j] * acc;
                }
                if (gV is not null)
                    for (var r = 0; r < k; r++) gV.Span[r * n + j] = (float)(gy * alpha * (v[r * n + j] / sp - cv[r] / s));
                if (gLog is not null) gLog.Span[j] = (float)(gy * 0.5 * s * (1 / sp - 1 / s + alpha * quad / (s * s)));
            }
            if (gMu is not null) Autograd.AccumulateOwned(b.Mu, gMu);
            if (gV is not null) Autograd.AccumulateOwned(b.V!, gV);
            if (gLog is not null) Autograd.AccumulateOwned(b.LogVariance!, gLog);
        }
    }

    /// <summary>log det and inverse of a small symmetric positive-definite matrix by Cholesky (NaN when it is not).</summary>
    public static (double LogDet, double[,] Inverse) CholeskyLogDetInverse(double[,] a)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        double logDet = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var p = 0; p < j; p++) sum -= l[i, p] * l[j, p];
                if (i == j)
                {
                    // Non-finite V or s: a NaN KL makes the loss NaN, which the trainer records as divergence.
                    if (!(sum > 0)) return (double.NaN, new double[n, n]);
                    l[i, i] = Math.Sqrt(sum);
                    logDet += 2 * Math.Log(l[i, i]);
                }
                else l[i, j] = sum / l[j, j];
            }
        }
        // A⁻¹ column by column: forward then back substitution.
        var inv = new double[n, n];
        var z = new double[n];
        for (var c = 0; c < n; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var sum = i == c ? 1.0 : 0.0;
                for (var p = 0; p < i; p++) sum -= l[i, p] * z[p];
                z[i] = sum / l[i, i];
            }
            for (var i = n - 1; i >= 0; i--)
            {
                var sum = z[i];
                for (var p = i + 1; p < n; p++) sum -= l[p, i] * inv[p, c];
                inv[i, c] = sum / l[i, i];
            }
        }
        return (logDet, inv);
    }
}
