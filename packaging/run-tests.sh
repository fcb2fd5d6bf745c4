#!/usr/bin/env bash
# Installs the dependencies, builds everything with -Werror under AddressSanitizer + UBSan,
# and runs the whole test suite (engine, app and ui). Used by CI and by developers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/setup-debian.sh
build=${LONGLENS_TEST_BUILD_DIR:-build-tests}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLONGLENS_WERROR=ON -DLONGLENS_SANITIZE=ON ${LONGLENS_SHARED_DIR:+-DLONGLENS_SHARED_DIR="$LONGLENS_SHARED_DIR"}
cmake --build "$build" -j"$(nproc)"
# OpenBLAS's own threads are not instrumented; leak checking would flag its pools.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# ctest runs test programs side by side: one compute thread each avoids oversubscription.
export OPENBLAS_NUM_THREADS=1 LONGLENS_THREADS=1
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 900
# The fuzzers' 30-second smoke runs (issue 21 §7): clang, its own build folder, ~8 minutes on
# two cores. LONGLENS_FUZZ_SMOKE=0 leaves them out.
if [ "${LONGLENS_FUZZ_SMOKE:-1}" != 0 ]; then
  bash packaging/fuzz-smoke.sh
fi
