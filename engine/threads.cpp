#include "threads.h"

#include <cblas.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "thread_pool.h"

namespace ll {

namespace {

// Decisions are taken over windows of at least this much wall time: one decoded token is
// too short to tell a busy machine from a serial stretch of work.
constexpr double kWindowSeconds = 0.25;
// Below this share of the threads' cores, the process is starved: one thread.
constexpr double kStarvedShare = 0.5;
// With one thread, at least this much of a core means the others may be free again.
constexpr double kFreeCore = 0.9;
constexpr int kMaxProbeWait = 32;  // windows between probes, at most (about 8 s)

struct Adaptation {
    std::mutex mutex;
    bool on = true;
    ThreadAdaptation policy{1};
    int applied = 0;  // the count the pools have
};

Adaptation& adaptation() {
    static Adaptation a;
    return a;
}

double seconds(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Each OpenBLAS thread takes a 128 MB work buffer when it starts (and an 8 MB stack), and
// when the address space cannot hold it, retries forever (OpenBLAS 0.3.21's
// blas_memory_alloc; its issue 5289): under `ulimit -v` the process then hangs, at the
// latest at exit, where OpenBLAS's handler waits for that thread.
constexpr uint64_t kBlasThreadBytes = uint64_t{136} << 20;

// Of `wanted` OpenBLAS threads, those the address-space limit leaves room for: all without
// a limit; under one, as many as fit in half of what is not mapped yet (the rest is the
// work's), and at least the caller's own thread.
int blas_threads_within_limit(int wanted) {
    rlimit limit{};
    if (wanted <= 1 || getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return wanted;
    long pages = 0;
    if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
        std::fclose(statm);
    }
    const uint64_t mapped = uint64_t(std::max(0L, pages)) * uint64_t(sysconf(_SC_PAGESIZE));
    const uint64_t room = limit.rlim_cur > mapped ? limit.rlim_cur - mapped : 0;
    return int(std::min<uint64_t>(uint64_t(wanted), 1 + room / 2 / kBlasThreadBytes));
}

void apply(Adaptation& a, int n) {
    if (n == a.applied) return;
    openblas_set_num_threads(blas_threads_within_limit(n));
    resize_engine_pool(n);  // the decode kernels' pool (quant_dot.h)
    a.applied = n;
}

}  // namespace

int ThreadAdaptation::observe(double wall_s, double cpu_s) {
    if (configured_ <= 1) return active_;
    wall_ += wall_s;
    cpu_ += cpu_s;
    if (wall_ < kWindowSeconds) return active_;
    decide(cpu_ / wall_);
    wall_ = cpu_ = 0;
    return active_;
}

void ThreadAdaptation::decide(double cores) {
    if (active_ > 1) {
        if (cores >= kStarvedShare * active_) {
            probing_ = false;
            probe_wait_ = 1;
            return;
        }
        // Starved. A failed probe waits twice as long before the next one.
        probe_wait_ = probing_ ? std::min(2 * probe_wait_, kMaxProbeWait) : 1;
        probing_ = false;
        waited_ = 0;
        active_ = 1;
        return;
    }
    if (cores >= kFreeCore && ++waited_ >= probe_wait_) {
        probing_ = true;
        waited_ = 0;
        active_ = configured_;
    }
}

void set_thread_count(int n) {
    // LONGLENS_THREADS lets a test runner that runs several programs at once give each
    // one core, instead of every program spreading over all cores and waiting on each other.
    if (const char* env = std::getenv("LONGLENS_THREADS"); n <= 0 && env) n = std::atoi(env);
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    Adaptation& a = adaptation();
    std::lock_guard lock(a.mutex);
    a.policy = ThreadAdaptation(n);
    apply(a, n);
}

int thread_count() {
    Adaptation& a = adaptation();
    std::lock_guard lock(a.mutex);
    return a.policy.configured();
}

int active_thread_count() {
    return openblas_get_num_threads();
}

void set_adaptive_threads(bool on) {
    Adaptation& a = adaptation();
    std::lock_guard lock(a.mutex);
    a.on = on;
    a.policy = ThreadAdaptation(a.policy.configured());
    apply(a, a.policy.configured());
}

ThreadUseMeter::ThreadUseMeter()
    : wall0_(seconds(CLOCK_MONOTONIC)), cpu0_(seconds(CLOCK_PROCESS_CPUTIME_ID)) {}

ThreadUseMeter::~ThreadUseMeter() {
    const double wall = seconds(CLOCK_MONOTONIC) - wall0_;
    const double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0_;
    Adaptation& a = adaptation();
    std::lock_guard lock(a.mutex);
    // Until set_thread_count is called the pools are as their libraries set them up.
    if (a.on && a.applied > 0) apply(a, a.policy.observe(wall, cpu));
}

}  // namespace ll
