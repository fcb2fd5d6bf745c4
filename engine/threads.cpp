#include "threads.h"

#include <cblas.h>

#include <thread>

namespace ll {

void set_thread_count(int n) {
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    openblas_set_num_threads(n);
}

int thread_count() { return openblas_get_num_threads(); }

}  // namespace ll
