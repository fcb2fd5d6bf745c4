// The engine's thread budget. Prefill's GEMMs run inside OpenBLAS and decode's
// matrix-vector products on the engine's pool (thread_pool.h); set_thread_count sizes
// both. A caller sets it once, before the first forward pass.
#pragma once

namespace ll {

// n <= 0: $LONGLENS_THREADS if set, else one thread per available core.
void set_thread_count(int n);
int thread_count();

}  // namespace ll
