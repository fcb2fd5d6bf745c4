// The thread adaptation policy (threads.h) on measured shapes of work: a process that gets
// its cores keeps them; a starved one drops to one thread and probes the full count again
// when a core is free, backing off after failed probes. Real measurements are not
// repeatable, so the policy is fed the (wall, CPU) pairs such runs produce.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include <sys/resource.h>
#include <unistd.h>

#include "child_process.h"
#include "threads.h"

namespace {

// Feeds `windows` decision windows of 0.3 s wall each, with `cores` of CPU per second.
int feed(ll::ThreadAdaptation& t, double cores, int windows = 1) {
    int n = t.active();
    for (int i = 0; i < windows; ++i) n = t.observe(0.3, 0.3 * cores);
    return n;
}

TEST(ThreadAdaptation, AProcessThatGetsItsCoresKeepsThem) {
    ll::ThreadAdaptation t(2);
    EXPECT_EQ(feed(t, 1.9, 20), 2);
    EXPECT_EQ(feed(t, 1.1, 20), 2) << "serial stretches are not starvation";
}

TEST(ThreadAdaptation, DecidesOnlyOverWholeWindows) {
    ll::ThreadAdaptation t(2);
    // Starved, but only 0.2 s of work so far: a decoded token or two say nothing yet.
    EXPECT_EQ(t.observe(0.1, 0.01), 2);
    EXPECT_EQ(t.observe(0.1, 0.01), 2);
    EXPECT_EQ(t.observe(0.1, 0.01), 1);
}

TEST(ThreadAdaptation, AStarvedProcessDropsToOneThreadAndComesBackWhenACoreIsFree) {
    ll::ThreadAdaptation t(2);
    // Two busy processes beside it: 2 threads got 0.07 cores (31 s for a 2 s prefill).
    EXPECT_EQ(feed(t, 0.07), 1);
    EXPECT_EQ(feed(t, 0.22, 10), 1) << "one thread still starved: stay";
    EXPECT_EQ(feed(t, 0.97), 2) << "a whole core again: probe the full count";
    EXPECT_EQ(feed(t, 1.8, 10), 2) << "the probe succeeded";
}

TEST(ThreadAdaptation, FailedProbesBackOff) {
    ll::ThreadAdaptation t(2);
    feed(t, 0.1);  // starved: one thread
    // One busy process beside it: one thread gets a core, two threads do not get two.
    int probes = 0;
    for (int i = 0; i < 64; ++i) {
        const int before = t.active();
        const int after = feed(t, before == 1 ? 0.95 : 0.8);
        probes += before == 1 && after == 2;
    }
    // Waits of 1, 2, 4, 8, 16, 32, 32 windows between probes: at most 7 probes in 64.
    EXPECT_GE(probes, 3);
    EXPECT_LE(probes, 7);
}

TEST(ThreadAdaptation, OneConfiguredThreadNeverChanges) {
    ll::ThreadAdaptation t(1);
    EXPECT_EQ(feed(t, 0.05, 5), 1);
    EXPECT_EQ(feed(t, 1.0, 5), 1);
}

// Under an address-space limit that leaves no room for OpenBLAS's 128 MB per-thread buffer,
// asking for two threads used to start an OpenBLAS thread that retried its allocation forever,
// and the process hung at exit (`ulimit -v 250000 longlens-cli info ...` printed its error and
// never ended). Now OpenBLAS is never given threads (the engine's pool calls it single-threaded).
// In a child under such a limit, two threads are set and the process exits through the exit
// handlers; a watchdog alarm turns a hang into a failure.
TEST(Threads, AnAddressSpaceLimitNeverHangsOpenBlas) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer reserves more address space than any limit leaves";
#else
    const lltest::ChildOutcome child = lltest::run_in_child([](int) {
        ::alarm(120);  // a hang is killed, and seen as not having exited
        long pages = 0;
        if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
            if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
            std::fclose(statm);
        }
        const rlim_t room = rlim_t(pages) * rlim_t(::sysconf(_SC_PAGESIZE)) + (96u << 20);
        const rlimit limit{room, room};
        ::setrlimit(RLIMIT_AS, &limit);
        ll::set_thread_count(2);
        std::exit(ll::active_thread_count() == 2 ? 0 : 3);  // runs OpenBLAS's exit handler
        return 4;
    });
    ASSERT_TRUE(child.exited) << "killed: it hung";
    EXPECT_EQ(child.code, 0) << "3: the engine's pool did not get its two threads";
#endif
}

}  // namespace
