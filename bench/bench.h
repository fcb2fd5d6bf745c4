// longlens-bench: engine speed studies (no Qt). Each study is one file; main.cpp
// dispatches on the first argument. Every run prints one JSON object per line (--json)
// or a readable table.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llbench {

// --key value / --flag arguments after the study name.
class Args {
public:
    Args(int argc, char** argv, int first);
    std::string str(const std::string& key, const std::string& fallback) const;
    std::string required(const std::string& key) const;
    int64_t integer(const std::string& key, int64_t fallback) const;
    // integer() of at least `least` (sizes, counts, repetitions).
    int64_t count(const std::string& key, int64_t fallback, int64_t least = 1) const;
    std::vector<int64_t> integers(const std::string& key, const std::vector<int64_t>& fallback) const;
    bool flag(const std::string& key) const;

private:
    std::map<std::string, std::string> values_;
};

// Process memory from /proc/self/status, in bytes (0 when unavailable).
int64_t peak_rss_bytes();     // VmHWM
int64_t current_rss_bytes();  // VmRSS

double now_seconds();
// User + system CPU time of the whole process (all threads), from getrusage.
double process_cpu_seconds();

// Streaming read bandwidth in bytes/s with `threads` readers over a buffer far larger
// than the caches (best of a few passes): the ceiling for decode, which reads every
// weight once per token.
double measure_read_bandwidth(int threads, int64_t bytes = int64_t{1} << 30);

// Prints j as one JSON line, or as "key: value" lines under a title.
void emit(const nlohmann::json& j, bool as_json, const std::string& title);

int run_speed(const Args& args);
int run_sweep(const Args& args);
int run_second_question(const Args& args);
int run_make_model(const Args& args);
int run_bandwidth(const Args& args);
int run_kernels(const Args& args);
int run_scaling(const Args& args);
int run_tokenize(const Args& args);
int run_grounding(const Args& args);  // grounding/grounding.cpp: app/ question answering

}  // namespace llbench
