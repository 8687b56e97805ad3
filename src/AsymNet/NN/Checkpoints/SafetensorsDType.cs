namespace AsymNet.NN.Checkpoints;

/// <summary>Element types of the safetensors format, spelled as in its JSON header.</summary>
public enum SafetensorsDType
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    BOOL,
}

public static class SafetensorsDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this SafetensorsDType t) => t switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        _ => 1,
    };

    /// <summary>The header spelling ("F32", "BF16", ...).</summary>
    public static string HeaderName(this SafetensorsDType t) => t.ToString();

    /// <summary>Parses a header dtype; the spelling must be exact (upper case), as the Rust reference requires.</summary>
    public static bool TryParse(string s, out SafetensorsDType t)
    {
        foreach (var v in Enum.GetValues<SafetensorsDType>())
            if (v.ToString() == s) { t = v; return true; }
        t = default;
        return false;
    }
}
