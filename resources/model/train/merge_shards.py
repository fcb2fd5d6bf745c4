"""Merges the safetensors shards that save_pretrained wrote (each under 16 MiB, the size the
GPU machine hands back) into one model.safetensors, byte for byte the same tensors.

    python3 merge_shards.py SHARD_DIR OUT_DIR/model.safetensors

Pure Python: the safetensors layout is an 8-byte little-endian header size, a JSON header
(name -> dtype, shape, data_offsets) and the raw tensor bytes.
"""
import json
import os
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    return header, data


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "model.safetensors.index.json")) as f:
        index = json.load(f)
    shards = sorted(set(index["weight_map"].values()))
    tensors = {}
    for s in shards:
        header, data = read(os.path.join(src, s))
        for name, info in header.items():
            if name == "__metadata__":
                continue
            a, b = info["data_offsets"]
            tensors[name] = (info["dtype"], info["shape"], data[a:b])
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        dtype, shape, blob = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(blob)]}
        blobs.append(blob)
        off += len(blob)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for blob in blobs:
            f.write(blob)
    print(f"{dst}: {len(tensors)} tensors, {off} bytes of data")


if __name__ == "__main__":
    main()
