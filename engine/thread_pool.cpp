#include "thread_pool.h"

#include <chrono>
#include <memory>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace ll {
namespace {

// A decode step issues ~8 matrix-vector products per layer with only a few microseconds
// of serial work between them. Sleeping on a condition variable costs tens of
// microseconds per wake-up, so a worker spins this long for the next job before it
// blocks; past that it sleeps and costs the machine nothing.
constexpr auto kSpin = std::chrono::microseconds(200);

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

std::mutex g_pool_mutex;
std::unique_ptr<ThreadPool> g_pool;

int default_threads() {
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
}

void ThreadPool::drain() {
    for (int i = next_task_.fetch_add(1, std::memory_order_relaxed); i < tasks_;
         i = next_task_.fetch_add(1, std::memory_order_relaxed)) {
        (*fn_)(i);
    }
}

// Spins briefly, then sleeps, until the generation moves past `seen`. False on stop.
bool ThreadPool::wait_for_job(uint64_t seen) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (int n = 0; generation_.load(std::memory_order_acquire) == seen; ++n) {
        cpu_relax();
        if ((n & 63) == 63 && std::chrono::steady_clock::now() > until) {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load() != seen; });
            break;
        }
    }
    std::lock_guard lock(mutex_);
    return !stop_;
}

void ThreadPool::worker_loop() {
    uint64_t seen = 0;
    while (wait_for_job(seen)) {
        seen = generation_.load(std::memory_order_acquire);
        drain();
        if (busy_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            std::lock_guard lock(mutex_);
            done_.notify_one();
        }
    }
}

void ThreadPool::run(int tasks, const std::function<void(int)>& fn) {
    if (workers_.empty() || tasks <= 1) {
        for (int i = 0; i < tasks; ++i) fn(i);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        fn_ = &fn;
        tasks_ = tasks;
        next_task_.store(0, std::memory_order_relaxed);
        busy_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    drain();
    // The caller's share is done; the workers' last tasks are short, so spin for them.
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (int n = 0; busy_.load(std::memory_order_acquire) != 0; ++n) {
        cpu_relax();
        if ((n & 63) == 63 && std::chrono::steady_clock::now() > until) {
            std::unique_lock lock(mutex_);
            done_.wait(lock, [&] { return busy_.load() == 0; });
        }
    }
}

ThreadPool& engine_pool() {
    std::lock_guard lock(g_pool_mutex);
    if (!g_pool) g_pool = std::make_unique<ThreadPool>(default_threads());
    return *g_pool;
}

void resize_engine_pool(int threads) {
    if (threads <= 0) threads = default_threads();
    std::lock_guard lock(g_pool_mutex);
    if (g_pool && g_pool->size() == threads) return;
    g_pool.reset();
    g_pool = std::make_unique<ThreadPool>(threads);
}

}  // namespace ll
