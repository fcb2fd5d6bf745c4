// The engine's thread budget: the size of the engine's pool (thread_pool.h), on which every
// kernel runs (prefill's GEMMs call single-threaded BLAS inside the pool's tasks, kernels.cpp).
// A caller sets it once, before the first forward pass.
//
// When other processes take the cores, more threads make things much worse: every matrix
// product waits for its slowest thread, and a thread that was preempted comes back a
// scheduler slice later. Measured on 2 cores with two busy processes beside it, a 2,100-token
// prefill took 31 s with 2 threads and 6.7 s with 1. So the engine watches how many cores it
// really gets (ThreadUseMeter around each forward pass) and falls back to one thread while
// it is starved, trying the full count again now and then.
#pragma once

namespace ll {

// n <= 0: $LONGLENS_THREADS if set, else one thread per available core.
void set_thread_count(int n);
// The configured count (the ceiling).
int thread_count();
// The count in use now: thread_count(), or 1 while the process is starved of cores.
int active_thread_count();

// On by default; benchmarks turn it off to measure a fixed thread count.
void set_adaptive_threads(bool on);

// The policy itself, apart from the clocks and the pools (tested on its own). Decides over
// windows of at least 0.25 s of work: below half of its threads' cores the process is
// starved and drops to one thread; with one thread getting 90 % of a core it probes the
// full count again, waiting twice as long after each probe that failed (up to ~8 s).
class ThreadAdaptation {
  public:
    explicit ThreadAdaptation(int configured) : configured_(configured), active_(configured) {}
    // One measured piece of work: wall time and the process's CPU time over it. Returns
    // the thread count to use from now on.
    int observe(double wall_s, double cpu_s);
    int active() const { return active_; }
    int configured() const { return configured_; }

  private:
    void decide(double cores);

    int configured_, active_;
    double wall_ = 0, cpu_ = 0;  // accumulated over the current window
    int probe_wait_ = 1;         // windows to stay at one thread before probing again
    int waited_ = 0;
    bool probing_ = false;  // the full count is being tried after a starved stretch
};

// Measures one piece of work (CPU time of the process over wall time) and feeds the
// adaptation. Create one around each forward pass, on the thread that runs it.
class ThreadUseMeter {
  public:
    ThreadUseMeter();
    ~ThreadUseMeter();
    ThreadUseMeter(const ThreadUseMeter&) = delete;
    ThreadUseMeter& operator=(const ThreadUseMeter&) = delete;

  private:
    double wall0_, cpu0_;
};

}  // namespace ll
