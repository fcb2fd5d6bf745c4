#!/bin/sh
# Seed corpora for the fuzzers, built from ../shared and the repository's own fixtures into
# DIR (default build-fuzz/seeds): whole small files, the first 16 KiB of large texts. Read
# in place, copied only into the build folder, never into the repository.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${LONGLENS_SHARED_DIR:-$src/../shared}
out=${1:-$src/build-fuzz/seeds}
mkdir -p "$out/gguf" "$out/safetensors" "$out/tokenizer_json" "$out/text" "$out/markdown"
cp "$shared"/models/vocab/*.gguf "$out/gguf/"
for g in "$src"/tests/engine/data/arch/*/*.gguf; do cp "$g" "$out/gguf/$(basename "$(dirname "$g")").gguf"; done
for s in "$src"/tests/engine/data/arch/*/hf/model.safetensors; do
  cp "$s" "$out/safetensors/$(basename "$(dirname "$(dirname "$s")")").safetensors"
done
for t in "$src"/tests/engine/data/arch/*/hf/tokenizer.json; do
  cp "$t" "$out/tokenizer_json/$(basename "$(dirname "$(dirname "$t")")").json"
done
for f in "$shared"/corpus/novels/*.txt "$shared"/corpus/legal/*.txt; do
  head -c 16384 "$f" > "$out/text/$(basename "$f")"
done
head -c 32768 "$shared/corpus/legal/prc-civil-code-zh.md" > "$out/markdown/civil-code.md"
cp "$src"/resources/sample/*.md "$out/markdown/"
head -c 16384 "$shared/corpus/MANIFEST.md" > "$out/markdown/manifest.md"
