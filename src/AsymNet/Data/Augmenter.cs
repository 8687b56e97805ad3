using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// Runs an <see cref="AugmentationPipeline"/> on byte images of one shape, writing float images. Holds its scratch
/// buffers, so steady-state use allocates nothing; one instance per thread. Random draws, per image, in step
/// order: flip one <see cref="Rng.NextDouble"/>; crop and cutout <see cref="Rng.NextInt"/> for y, then x.
/// </summary>
public sealed class Augmenter
{
    private readonly AugmentStep[] _steps;
    private readonly NormalizationStats? _fusedStats;
    private readonly int _c, _h, _w;
    private readonly float[] _scratch;
    private readonly int[] _rowSource, _colSource;
    private readonly int[] _draws; // two ints per step: the current random parameters

    public Augmenter(AugmentationPipeline pipeline, int channels, int height, int width)
    {
        Pipeline = pipeline;
        (_c, _h, _w) = (channels, height, width);
        foreach (var step in pipeline.Steps) Check(step);
        // A leading normalisation is fused into the byte-to-float conversion.
        _fusedStats = pipeline.Steps.Count > 0 && pipeline.Steps[0] is NormalizeStep n ? n.Stats : null;
        _steps = pipeline.Steps.Skip(_fusedStats is null ? 0 : 1).ToArray();
        _scratch = new float[height * width];
        _rowSource = new int[height];
        _colSource = new int[width];
        _draws = new int[2 * Math.Max(1, _steps.Length)];
    }

    public AugmentationPipeline Pipeline { get; }

    /// <summary>Draws fresh random parameters for every step (per image, or once per batch).</summary>
    public void Draw(Rng rng)
    {
        for (var s = 0; s < _steps.Length; s++)
        {
            switch (_steps[s])
            {
                case HorizontalFlipStep f:
                    _draws[2 * s] = rng.NextDouble() < f.Probability ? 1 : 0;
                    break;
                case RandomCropStep crop:
                    _draws[2 * s] = rng.NextInt(2 * crop.Padding + 1);
                    _draws[2 * s + 1] = rng.NextInt(2 * crop.Padding + 1);
                    break;
                case CutoutStep cut:
                    _draws[2 * s] = rng.NextInt(_h - cut.Size + 1);
                    _draws[2 * s + 1] = rng.NextInt(_w - cut.Size + 1);
                    break;
            }
        }
    }

    /// <summary>Converts one C·H·W byte image and applies the steps with the current draws.</summary>
    public void Apply(ReadOnlySpan<byte> image, Span<float> dst)
    {
        var plane = _h * _w;
        if (_fusedStats is not null) ImageOps.ToFloat(image, dst, plane, _fusedStats);
        else ImageOps.ToUnitFloat(image, dst);
        for (var s = 0; s < _steps.Length; s++)
        {
            var (a, b) = (_draws[2 * s], _draws[2 * s + 1]);
            for (var ch = 0; ch < _c; ch++)
            {
                var p = dst.Slice(ch * plane, plane);
                switch (_steps[s])
                {
                    case NormalizeStep n:
                        Normalize(p, n.Stats.Mean[ch], n.Stats.Std[ch]);
                        break;
                    case HorizontalFlipStep when a == 1:
                        for (var y = 0; y < _h; y++) p.Slice(y * _w, _w).Reverse();
                        break;
                    case RandomCropStep crop:
                        Crop(p, crop, a - crop.Padding, b - crop.Padding, crop.Fill?[ch] ?? 0f);
                        break;
                    case CutoutStep cut:
                        for (var y = a; y < a + cut.Size; y++) p.Slice(y * _w + b, cut.Size).Fill(cut.Fill?[ch] ?? 0f);
                        break;
                }
            }
        }
    }

    /// <summary>Augments the images at <paramref name="indices"/> into <paramref name="dst"/> [n, C, H, W].</summary>
    public void ApplyBatch(ImageDataset data, ReadOnlySpan<int> indices, Span<float> dst, Rng rng)
    {
        var size = data.ImageSize;
        if (Pipeline.PerBatch) Draw(rng);
        for (var i = 0; i < indices.Length; i++)
        {
            if (!Pipeline.PerBatch) Draw(rng);
            Apply(data.Image(indices[i]), dst.Slice(i * size, size));
        }
    }

    private static void Normalize(Span<float> p, float mean, float std)
    {
        var inv = 1f / std;
        for (var i = 0; i < p.Length; i++) p[i] = (p[i] - mean) * inv;
    }

    /// <summary>out[y, x] = in[y + dy, x + dx], outside pixels filled or mirrored.</summary>
    private void Crop(Span<float> p, RandomCropStep crop, int dy, int dx, float fill)
    {
        p.CopyTo(_scratch);
        var reflect = crop.Mode == PadMode.Reflect;
        for (var y = 0; y < _h; y++) _rowSource[y] = Source(y + dy, _h, reflect);
        for (var x = 0; x < _w; x++) _colSource[x] = Source(x + dx, _w, reflect);
        for (var y = 0; y < _h; y++)
        {
            var sy = _rowSource[y];
            var row = p.Slice(y * _w, _w);
            if (sy < 0)
            {
                row.Fill(fill);
                continue;
            }
            for (var x = 0; x < _w; x++)
            {
                var sx = _colSource[x];
                row[x] = sx < 0 ? fill : _scratch[sy * _w + sx];
            }
        }
    }

    private static int Source(int i, int n, bool reflect)
    {
        if (i >= 0 && i < n) return i;
        if (!reflect) return -1;
        return i < 0 ? -i : 2 * (n - 1) - i;
    }

    private void Check(AugmentStep step)
    {
        switch (step)
        {
            case NormalizeStep n when n.Stats.Channels != _c:
                throw new ArgumentException($"{n.Describe()} has {n.Stats.Channels} channels, images have {_c}.");
            case RandomCropStep crop when crop.Padding < 0 || (crop.Mode == PadMode.Reflect && crop.Padding >= Math.Min(_h, _w)):
                throw new ArgumentException($"{crop.Describe()}: padding must be ≥ 0 (and < the image side for reflect).");
            case RandomCropStep { Fill: { } fill } when fill.Length != _c:
            case CutoutStep { Fill: { } fill2 } when fill2.Length != _c:
                throw new ArgumentException($"{step.Describe()}: the fill needs one value per channel ({_c}).");
            case CutoutStep cut when cut.Size < 0 || cut.Size > Math.Min(_h, _w):
                throw new ArgumentException($"{cut.Describe()}: size must be in 0..{Math.Min(_h, _w)}.");
            case HorizontalFlipStep f when f.Probability is < 0 or > 1:
                throw new ArgumentException($"{f.Describe()}: probability must be in [0, 1].");
        }
    }
}
