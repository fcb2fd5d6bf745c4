#include "threads.h"

#include <cblas.h>

#include <cstdlib>
#include <thread>

#include "thread_pool.h"

namespace ll {

void set_thread_count(int n) {
    // LONGLENS_THREADS lets a test runner that runs several programs at once give each
    // one core, instead of every program spreading over all cores and waiting on each other.
    if (const char* env = std::getenv("LONGLENS_THREADS"); n <= 0 && env) n = std::atoi(env);
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    openblas_set_num_threads(n);
    resize_engine_pool(n);  // the decode kernels' pool (quant_dot.h)
}

int thread_count() { return openblas_get_num_threads(); }

}  // namespace ll
