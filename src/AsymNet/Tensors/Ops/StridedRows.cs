namespace AsymNet.Tensors.Ops;

/// <summary>
/// Walks a row-major iteration over a shape one innermost row at a time, tracking the flat offsets of two operands
/// with arbitrary strides (0 = broadcast). Size-1 dimensions are dropped and neighbours that are contiguous for both
/// operands are merged, so [N, C] + [C] walks N rows of C and a permutation copies the longest runs it can.
/// The caller's output is contiguous: row r starts at r·RowLength.
/// </summary>
internal ref struct StridedRows
{
    public const int MaxRank = 16;
    /// <summary>Ints of scratch the constructor needs (stackalloc them).</summary>
    public const int ScratchLength = 4 * MaxRank;

    private readonly Span<int> _dims, _strideA, _strideB, _counter;
    private int _offsetA, _offsetB, _next;

    public StridedRows(ReadOnlySpan<int> shape, ReadOnlySpan<int> stridesA, ReadOnlySpan<int> stridesB, Span<int> scratch)
    {
        if (shape.Length > MaxRank) throw new ArgumentException($"Rank {shape.Length} exceeds the supported {MaxRank}.");
        var dims = scratch[..MaxRank];
        var sa = scratch.Slice(MaxRank, MaxRank);
        var sb = scratch.Slice(2 * MaxRank, MaxRank);
        var k = 0;
        for (var i = 0; i < shape.Length; i++)
        {
            var n = shape[i];
            if (n == 1) continue;
            if (k > 0 && sa[k - 1] == stridesA[i] * n && sb[k - 1] == stridesB[i] * n)
            {
                dims[k - 1] *= n;
                sa[k - 1] = stridesA[i];
                sb[k - 1] = stridesB[i];
            }
            else
            {
                dims[k] = n;
                sa[k] = stridesA[i];
                sb[k] = stridesB[i];
                k++;
            }
        }
        if (k == 0)
        {
            // A single element: one row of length 1.
            dims[0] = 1;
            sa[0] = sb[0] = 1;
            k = 1;
        }
        RowLength = dims[k - 1];
        InnerStrideA = sa[k - 1];
        InnerStrideB = sb[k - 1];
        var rows = RowLength == 0 ? 0 : 1;
        for (var i = 0; i < k - 1; i++) rows *= dims[i];
        RowCount = rows;
        _dims = dims[..(k - 1)];
        _strideA = sa[..(k - 1)];
        _strideB = sb[..(k - 1)];
        _counter = scratch.Slice(3 * MaxRank, k - 1);
        _counter.Clear();
    }

    public int RowLength { get; }
    public int RowCount { get; }
    public int InnerStrideA { get; }
    public int InnerStrideB { get; }

    /// <summary>Advances to the next row; false when all rows were visited.</summary>
    public bool MoveNext(out int offsetA, out int offsetB)
    {
        if (_next >= RowCount)
        {
            offsetA = offsetB = 0;
            return false;
        }
        if (_next > 0)
        {
            for (var d = _dims.Length - 1; d >= 0; d--)
            {
                _offsetA += _strideA[d];
                _offsetB += _strideB[d];
                if (++_counter[d] < _dims[d]) break;
                _offsetA -= _strideA[d] * _dims[d];
                _offsetB -= _strideB[d] * _dims[d];
                _counter[d] = 0;
            }
        }
        _next++;
        offsetA = _offsetA;
        offsetB = _offsetB;
        return true;
    }

    /// <summary>Strides of a contiguous tensor of <paramref name="shape"/> broadcast to <paramref name="target"/> (0 on broadcast axes).</summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target, Span<int> strides)
    {
        var lead = target.Length - shape.Length;
        var acc = 1;
        for (var i = target.Length - 1; i >= 0; i--)
        {
            var j = i - lead;
            if (j < 0 || shape[j] == 1) strides[i] = 0;
            else
            {
                strides[i] = acc;
                acc *= shape[j];
            }
        }
    }
}
