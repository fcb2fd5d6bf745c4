#!/usr/bin/env bash
# The README's table: TinyLlama-shaped random models (F16, Q8_0, Q4_0), prefill 512 and
# decode 128 tokens, plus the read-bandwidth probe. One JSON line per run on stdout.
#   bench/run_table.sh BENCH_BINARY MODEL_DIR [THREADS] [extra speed options...]
# Models are written to MODEL_DIR once (about 4 GB for the three); keep it outside the
# repository.
set -euo pipefail
bench=$1 dir=$2 threads=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
mkdir -p "$dir"
"$bench" bandwidth --threads "$threads" --json
for type in f16 q8_0 q4_0; do
    model="$dir/tinyllama-$type.gguf"
    [[ -f $model ]] || "$bench" make-model --shape tinyllama --type "$type" --out "$model" --json >&2
    "$bench" speed --model "$model" --prompt-tokens 512 --gen-tokens 128 --threads "$threads" \
        --bandwidth --json "$@"
done
