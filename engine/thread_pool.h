// The engine's own worker pool, the only one: the decode kernels (quant_dot.h), prefill's
// GEMMs (kernels.cpp, single-threaded BLAS inside each task) and attention run their tasks on
// it, so the cores are never oversubscribed by a second pool. threads.h sizes it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ll {

class ThreadPool {
  public:
    // `threads` counts the caller: a pool of n starts n - 1 workers.
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(workers_.size()) + 1; }

    // Calls fn(i) once for every i in [0, tasks), spread over the workers and the caller
    // (tasks are taken one at a time, so a core slowed by other work simply takes fewer).
    // Returns when all have finished. Not reentrant: one run() at a time per pool.
    void run(int tasks, const std::function<void(int)>& fn);

  private:
    void worker_loop();
    void drain();
    bool wait_for_job(uint64_t seen);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> next_task_{0};
    std::atomic<int> busy_{0};
    bool stop_ = false;
    int tasks_ = 0;
    const std::function<void(int)>* fn_ = nullptr;
};

// The process-wide pool the kernels use; sized by set_thread_count (threads.h).
ThreadPool& engine_pool();
void resize_engine_pool(int threads);

}  // namespace ll
