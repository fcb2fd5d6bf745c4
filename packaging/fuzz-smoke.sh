#!/usr/bin/env bash
# The fuzzers' smoke run (issue 21 §7), part of the test command (run-tests.sh) and so of CI:
# installs clang (Debian's, with libFuzzer), builds only the fuzz targets and what they link
# (tests/fuzz), makes the seed corpora from ../shared (tests/fuzz/make_seeds.sh) and runs
# each target for LONGLENS_FUZZ_SECONDS (30) seconds, two at a time on two cores. Any finding
# (crash, sanitizer report, broken promise, hang past 10 s, allocation past 2 GB) fails it,
# printing the fuzzer's report and leaving the input under BUILD/findings.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! dpkg-query -W -f='${Status}' clang 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "fuzz-smoke: installing clang"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends clang
fi

build=${LONGLENS_FUZZ_BUILD_DIR:-build-fuzz}
seconds=${LONGLENS_FUZZ_SECONDS:-30}
jobs=${LONGLENS_FUZZ_JOBS:-2}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DLONGLENS_FUZZ=ON -DLONGLENS_BUILD_GUI=OFF -DLONGLENS_BUILD_TESTS=OFF \
  ${LONGLENS_SHARED_DIR:+-DLONGLENS_SHARED_DIR="$LONGLENS_SHARED_DIR"}
cmake --build "$build" --target fuzz_targets -j"$(nproc)"
rm -rf "$build/seeds" "$build/smoke"
sh tests/fuzz/make_seeds.sh "$build/seeds" "$build/tests/fuzz"

# target, seed folder, longest input.
targets=(
  "fuzz_gguf gguf 262144" "fuzz_safetensors safetensors 262144"
  "fuzz_tokenizer_json tokenizer_json 65536" "fuzz_sentencepiece sentencepiece 65536"
  "fuzz_session_file session 131072" "fuzz_text_decoding text 16384"
  "fuzz_markdown markdown 32768" "fuzz_epub epub 65536" "fuzz_pdf pdf 65536"
  "fuzz_library_store library 131072" "fuzz_conversation conversation 16384"
  "fuzz_cli_options cli_options 4096"
)
mkdir -p "$build/smoke" "$build/findings"
export ASAN_OPTIONS=${ASAN_OPTIONS_FUZZ:-detect_leaks=0}
# UBSan reports are findings too: stop at the first.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export OPENBLAS_NUM_THREADS=1 LONGLENS_THREADS=1 QT_QPA_PLATFORM=offscreen
smoke() {  # TARGET SEEDS MAX_LEN
  local log="$build/smoke/$1.log"
  mkdir -p "$build/smoke/$1"
  if "$build/tests/fuzz/$1" "$build/smoke/$1" "$build/seeds/$2" -max_total_time="$seconds" \
    -max_len="$3" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/findings/$1-" >"$log" 2>&1; then
    echo "fuzz-smoke: $1: $(grep -m1 -o 'Done [0-9]* runs in [0-9]* second(s)' "$log"), no finding"
  else
    echo "fuzz-smoke: $1: FINDING"
    tail -n 60 "$log"
    return 1
  fi
}
export -f smoke
export build seconds
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -L 1 bash -c 'smoke "$@"' _
