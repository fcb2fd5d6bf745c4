// The engine's thread budget. The kernels' parallel work runs inside OpenBLAS, so its
// pool is the one to size; a caller sets it once, before the first forward pass.
#pragma once

namespace ll {

// n <= 0: one thread per available core.
void set_thread_count(int n);
int thread_count();

}  // namespace ll
