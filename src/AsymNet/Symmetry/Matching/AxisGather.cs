namespace AsymNet.Symmetry.Matching;

/// <summary>
/// Copies a row-major tensor while permuting any of its axes (dst[…, i, …] = src[…, perm[i], …]) and optionally moving
/// one axis to the front, which turns it into the [units, rest] matrix that weight matching multiplies. One pass,
/// copying the longest contiguous inner block at a time.
/// </summary>
internal static class AxisGather
{
    /// <param name="src">The tensor's elements.</param>
    /// <param name="shape">Its shape.</param>
    /// <param name="front">Axis to move to the front, or −1 to keep the axis order.</param>
    /// <param name="perms">Per axis, the permutation to apply or null.</param>
    /// <param name="dst">Output of the same length.</param>
    public static void Gather(ReadOnlySpan<float> src, int[] shape, int front, int[]?[] perms, Span<float> dst)
    {
        var rank = shape.Length;
        if (rank == 0 || src.Length == 0)
        {
            src.CopyTo(dst);
            return;
        }
        var order = new int[rank];
        order[0] = front < 0 ? 0 : front;
        for (int a = 0, k = 1; a < rank; a++)
            if (a != order[0]) order[k++] = a;
        var strides = new int[rank];
        strides[rank - 1] = 1;
        for (var a = rank - 2; a >= 0; a--) strides[a] = strides[a + 1] * shape[a + 1];

        // Output positions [loops, rank) are in source order and unpermuted: they form one contiguous block.
        var loops = rank;
        while (loops > 0 && order[loops - 1] == loops - 1 && perms[loops - 1] is null) loops--;
        var block = 1;
        for (var a = loops; a < rank; a++) block *= shape[a];
        if (loops == 0)
        {
            src.CopyTo(dst);
            return;
        }

        var index = new int[loops];
        var written = 0;
        while (true)
        {
            var offset = 0;
            for (var k = 0; k < loops; k++)
            {
                var axis = order[k];
                offset += (perms[axis] is { } p ? p[index[k]] : index[k]) * strides[axis];
            }
            src.Slice(offset, block).CopyTo(dst.Slice(written, block));
            written += block;
            var pos = loops - 1;
            while (pos >= 0 && ++index[pos] == shape[order[pos]])
            {
                index[pos] = 0;
                pos--;
            }
            if (pos < 0) return;
        }
    }
}
