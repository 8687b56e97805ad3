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

        // The innermost loop runs as a tight loop per position of the outer ones: weight matching gathers 512×512
        // matrices with a permuted last axis (block 1), where per-element offset arithmetic dominated.
        var last = loops - 1;
        var (lastAxis, lastLength) = (order[last], shape[order[last]]);
        var (lastPerm, lastStride) = (perms[lastAxis], strides[lastAxis]);
        var index = new int[loops];
        var written = 0;
        while (true)
        {
            var offset = 0;
            for (var k = 0; k < last; k++)
            {
                var axis = order[k];
                offset += (perms[axis] is { } p ? p[index[k]] : index[k]) * strides[axis];
            }
            var row = dst.Slice(written, lastLength * block);
            if (block == 1 && lastPerm is not null)
                for (var t = 0; t < lastLength; t++) row[t] = src[offset + lastPerm[t] * lastStride];
            else if (block == 1)
                for (var t = 0; t < lastLength; t++) row[t] = src[offset + t * lastStride];
            else
                for (var t = 0; t < lastLength; t++)
                    src.Slice(offset + (lastPerm is null ? t : lastPerm[t]) * lastStride, block).CopyTo(row.Slice(t * block, block));
            written += row.Length;
            var pos = last - 1;
            while (pos >= 0 && ++index[pos] == shape[order[pos]])
            {
                index[pos] = 0;
                pos--;
            }
            if (pos < 0) return;
        }
    }
}
