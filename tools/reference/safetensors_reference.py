"""A reference safetensors file for AsymNet's reader and writer, built without the `safetensors` package.

Run with Debian's python:  /usr/bin/python3 tools/reference/safetensors_reference.py
Writes tests/AsymNet.Tests/Reference/safetensors/reference.safetensors and reference.json (the expected values).

The file is assembled with struct/json following the format spec of huggingface/safetensors and the byte layout of
its Rust writer (safetensors/src/tensor.rs): an 8-byte little-endian header length; compact UTF-8 JSON with
`__metadata__` first and then the tensors sorted by dtype (descending in the Rust Dtype enum order) and name; the
header padded with spaces to a multiple of 8; then the tensor bytes back to back. If torch is importable, the data
is read back with torch.frombuffer as an independent check of the offsets and dtypes.
"""
import json
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "AsymNet.Tests", "Reference", "safetensors")

# Position in the Rust Dtype enum; the writer sorts by it descending, then by name (UTF-8 byte order).
RUST_ORDER = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 5, "F16": 7, "BF16": 8, "I32": 9, "F32": 11, "F64": 12, "I64": 13}


def bf16_bytes(values):
    out = b""
    for v in values:
        bits = struct.unpack("<I", struct.pack("<f", v))[0]
        assert bits & 0xFFFF == 0, f"{v} is not exact in bfloat16"
        out += struct.pack("<H", bits >> 16)
    return out


TENSORS = [
    # name, dtype, shape, values (all exact in their dtype)
    ("lins.0.weight", "F32", [2, 3], [1.5, -2.25, 3.0517578125e-05, -0.0, 1e30, 0.1]),
    ("lins.0.bias", "F32", [2], [0.25, -7.0]),
    ("scalar", "F32", [], [42.0]),
    ("empty", "F32", [0, 3], []),
    ("double", "F64", [3], [0.1, 1.0 / 3.0, -1e-300]),
    ("half", "F16", [2, 2], [0.5, -1.0, 65504.0, 5.960464477539063e-08]),
    ("brain", "BF16", [3], [1.0, -2.5, 3.140625]),
    ("count", "I64", [2], [1, -2]),
    ("grüße", "F32", [1], [2.0]),
]
METADATA = {"format": "pt", "config": json.dumps({"model": "mlp", "note": "quote \" and ünïcode"}, ensure_ascii=False)}


def encode(dtype, values):
    if dtype == "F32":
        return struct.pack(f"<{len(values)}f", *values)
    if dtype == "F64":
        return struct.pack(f"<{len(values)}d", *values)
    if dtype == "F16":
        return struct.pack(f"<{len(values)}e", *values)
    if dtype == "BF16":
        return bf16_bytes(values)
    if dtype == "I64":
        return struct.pack(f"<{len(values)}q", *values)
    raise ValueError(dtype)


def stored(dtype, values):
    """The values as the file holds them (float32/float16 round the Python floats)."""
    if dtype in ("F32", "F16"):
        code = "f" if dtype == "F32" else "e"
        return [float(v) for v in struct.unpack(f"<{len(values)}{code}", encode(dtype, values))]
    return [float(v) for v in values]


def build():
    ordered = sorted(TENSORS, key=lambda t: (-RUST_ORDER[t[1]], t[0].encode("utf-8")))
    header = {"__metadata__": dict(sorted(METADATA.items(), key=lambda kv: kv[0].encode("utf-8")))}
    blobs, offset = [], 0
    for name, dtype, shape, values in ordered:
        assert math.prod(shape) == len(values)
        blob = encode(dtype, values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs), ordered


def write_safetensors(path, tensors, metadata):
    """Writes float32 torch tensors {name: tensor} as a safetensors file, laid out like the Rust writer."""
    import torch
    assert all(t.dtype == torch.float32 for t in tensors.values())
    names = sorted(tensors, key=lambda n: n.encode("utf-8"))  # one dtype: name order
    header = {"__metadata__": metadata} if metadata else {}
    blobs, offset = [], 0
    for name in names:
        t = tensors[name].contiguous()
        blob = struct.pack(f"<{t.numel()}f", *t.flatten().tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def torch_check(data):
    try:
        import torch
    except ImportError:
        print("torch not importable: skipped the read-back check")
        return
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = bytearray(data[8 + n:])
    kinds = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}
    for name, dtype, shape, values in TENSORS:
        info = header[name]
        b, e = info["data_offsets"]
        t = torch.frombuffer(body[b:e], dtype=kinds[dtype]) if e > b else torch.empty(0, dtype=kinds[dtype])
        got = t.reshape(shape).double().flatten().tolist()
        assert got == stored(dtype, values), (name, got, values)
    print("torch read-back: ok")


def main():
    data, ordered = build()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "reference.safetensors"), "wb") as f:
        f.write(data)
    expected = {
        "metadata": METADATA,
        "order": [t[0] for t in ordered],
        "tensors": [{"name": n, "dtype": d, "shape": s, "values": stored(d, vals)} for n, d, s, vals in TENSORS],
    }
    with open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")
    torch_check(data)
    print(f"wrote {len(data)} bytes")


if __name__ == "__main__":
    main()
