#!/usr/bin/env python3
"""Reference dequantisations of blocks written by llama.cpp's llama-quantize.

Reads GGUF files that llama-quantize wrote (one per file type), takes the first rows of
the first tensor of each block type (the first file holding that type wins), and writes
them to one small GGUF:
  <ftype>.<type>.<tensor>       the rows as stored (the quantised bytes, unchanged)
  <ftype>.<type>.<tensor>.ref   the same rows dequantised to F32 by gguf-py (gguf/quants.py)
test_quant.cpp checks that the engine's dequantize_row gives these floats bit for bit.

Usage: make_quant_blocks.py GGUF_PY_DIR OUT.gguf ROWS FILE.gguf...
(GGUF_PY_DIR: llama.cpp's gguf-py folder, from ../shared/peers' source archive.)
"""
import os
import sys

sys.path.insert(0, sys.argv[1])
import numpy as np  # noqa: E402
from gguf import GGUFReader, GGUFWriter, GGMLQuantizationType, quants  # noqa: E402

out_path, rows = sys.argv[2], int(sys.argv[3])
writer = GGUFWriter(out_path, "llama")
writer.add_string("longlens.fixture", "llama-quantize blocks + gguf-py dequantisation")
seen = set()
for path in sys.argv[4:]:
    ftype = os.path.basename(path).rsplit(".", 1)[0].split("-")[-1]
    for t in GGUFReader(path).tensors:
        qtype = GGMLQuantizationType(t.tensor_type)
        if qtype in (GGMLQuantizationType.F32, GGMLQuantizationType.F16) or qtype in seen:
            continue
        seen.add(qtype)
        raw = np.ascontiguousarray(t.data[:rows])  # uint8, one row of blocks per line
        ref = quants.dequantize(raw, qtype).astype(np.float32)
        name = f"{ftype}.{qtype.name}.{t.name}"
        writer.add_tensor(name, raw, raw_dtype=qtype)
        writer.add_tensor(name + ".ref", ref)
        print(f"{name}: {raw.shape[0]} x {ref.shape[1]}")
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
