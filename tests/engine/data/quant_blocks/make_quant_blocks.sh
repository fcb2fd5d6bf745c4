#!/usr/bin/env bash
# Makes quant_blocks.gguf (beside this script): blocks of every type llama-quantize writes
# for the file types real models use, with gguf-py's dequantisation of each, for
# test_quant.cpp. Runs outside the repository's code: a small random model from
# longlens-bench make-model (F16), llama.cpp's llama-quantize (../shared/peers/
# build-llama-cpp.sh) and gguf-py from the same llama.cpp source; needs numpy,
# sentencepiece and yaml (gguf-py imports them): Debian python3-numpy python3-sentencepiece
# python3-yaml for /usr/bin/python3; PYTHON=... picks another interpreter.
# Usage: make_quant_blocks.sh LONGLENS_BENCH LLAMA_BIN_DIR LLAMA_SRC_DIR
set -euo pipefail
bench=$1 bin=$2 src=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" make-model --shape small --type f16 --seed 7 --out "$work/small-f16.gguf" >/dev/null
files=()
for t in Q2_K Q3_K_S Q3_K_M Q4_0 Q4_1 Q4_K_M Q5_0 Q5_1 Q5_K_M Q6_K Q8_0 IQ4_NL IQ4_XS; do
  "$bin/llama-quantize" "$work/small-f16.gguf" "$work/small-$t.gguf" "$t" 1 >"$work/$t.log" 2>&1 ||
    { cat "$work/$t.log" >&2; exit 1; }
  files+=("$work/small-$t.gguf")
done
"${PYTHON:-/usr/bin/python3}" "$here/make_quant_blocks.py" "$src/gguf-py" "$here/quant_blocks.gguf" 4 "${files[@]}"
