using System.Buffers.Text;

namespace AsymNet.Data;

/// <summary>
/// Streams a headerless numeric CSV file (OGB's raw layout), raw or gzipped, one line at a time, without
/// allocating per line. Blank lines are skipped (as pandas does). Every error names the file, line and field.
/// </summary>
public sealed class CsvNumberReader : IDisposable
{
    /// <summary>Longer lines are rejected rather than buffered without bound.</summary>
    public const int MaxLineBytes = 1 << 20;

    private readonly DataInput _input;
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private bool _eof;
    private int _lineStart, _lineEnd;
    private readonly List<int> _commas = new(256);

    public CsvNumberReader(DataInput input) => _input = input;

    public static CsvNumberReader Open(string path) => new(DataInput.Open(path));

    public string Name => _input.Name;

    /// <summary>1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Fields on the current line.</summary>
    public int FieldCount => _commas.Count + 1;

    /// <summary>Upper bound on the decoded size of the file, to bound allocations before reading.</summary>
    public long MaxLength => _input.MaxLength;

    /// <summary>Advances to the next non-blank line; false at the end of the file.</summary>
    public bool NextLine()
    {
        while (true)
        {
            if (!ReadRawLine()) return false;
            if (_lineEnd > _lineStart) break;
        }
        _commas.Clear();
        var line = _buffer.AsSpan(_lineStart, _lineEnd - _lineStart);
        for (var i = line.IndexOf((byte)','); i >= 0;)
        {
            _commas.Add(_lineStart + i);
            var next = line[(i + 1)..].IndexOf((byte)',');
            i = next < 0 ? -1 : i + 1 + next;
        }
        return true;
    }

    public float GetFloat(int field)
    {
        var s = Field(field);
        if (!Utf8Parser.TryParse(s, out float v, out var used) || used != s.Length || !float.IsFinite(v))
            throw Error(field, $"'{Show(s)}' is not a finite number");
        return v;
    }

    public int GetInt(int field)
    {
        var s = Field(field);
        if (Utf8Parser.TryParse(s, out int v, out var used) && used == s.Length) return v;
        // Some OGB label files write integers as floats ("4.0").
        if (Utf8Parser.TryParse(s, out double d, out used) && used == s.Length && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue)
            return (int)d;
        throw Error(field, $"'{Show(s)}' is not an integer");
    }

    /// <summary>Throws unless the current line has exactly <paramref name="count"/> fields.</summary>
    public void ExpectFields(int count, string what)
    {
        if (FieldCount != count)
            throw DataFormatException.AtLine(Name, LineNumber, $"{FieldCount} fields, expected {count} ({what})");
    }

    public DataFormatException Error(int field, string problem) =>
        new(Name, $"line {LineNumber}, field {field + 1}", problem);

    private ReadOnlySpan<byte> Field(int field)
    {
        var from = field == 0 ? _lineStart : _commas[field - 1] + 1;
        var to = field == _commas.Count ? _lineEnd : _commas[field];
        var s = _buffer.AsSpan(from, to - from);
        return s.Trim((byte)' ');
    }

    private bool ReadRawLine()
    {
        while (true)
        {
            var nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                SetLine(_start, _start + nl);
                _start += nl + 1;
                return true;
            }
            if (_eof)
            {
                if (_start == _end) return false;
                SetLine(_start, _end);
                _start = _end;
                return true;
            }
            Fill();
        }
    }

    private void SetLine(int from, int to)
    {
        LineNumber++;
        if (to > from && _buffer[to - 1] == (byte)'\r') to--;
        _lineStart = from;
        _lineEnd = to;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
                throw DataFormatException.AtLine(Name, LineNumber + 1, $"line longer than {MaxLineBytes} bytes");
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var n = _input.Read(_buffer.AsSpan(_end));
        if (n == 0) _eof = true;
        _end += n;
    }

    private static string Show(ReadOnlySpan<byte> s)
    {
        var text = System.Text.Encoding.UTF8.GetString(s.Length > 40 ? s[..40] : s);
        return s.Length > 40 ? text + "…" : text;
    }

    public void Dispose() => _input.Dispose();
}
