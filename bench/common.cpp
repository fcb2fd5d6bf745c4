#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <sys/resource.h>
#include <vector>

#include "bench.h"
#include "thread_pool.h"

namespace llbench {

Args::Args(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0) throw std::runtime_error("unexpected argument " + a);
        a = a.substr(2);
        if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
            values_[a] = argv[++i];
        } else {
            values_[a] = "";
        }
    }
}

std::string Args::str(const std::string& key, const std::string& fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end() || it->second.empty())
        throw std::runtime_error("--" + key + " is required");
    return it->second;
}

int64_t Args::integer(const std::string& key, int64_t fallback) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    // The whole text, or a message naming the option (std::stoll alone takes "12x" as 12).
    size_t used = 0;
    int64_t v = 0;
    try {
        v = std::stoll(it->second, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != it->second.size())
        throw std::runtime_error("--" + key + ": expected a whole number, got '" + it->second + "'");
    return v;
}

int64_t Args::count(const std::string& key, int64_t fallback, int64_t least) const {
    const int64_t v = integer(key, fallback);
    if (v < least)
        throw std::runtime_error("--" + key + ": expected at least " + std::to_string(least) +
                                 ", got " + std::to_string(v));
    return v;
}

std::vector<int64_t> Args::integers(const std::string& key,
                                    const std::vector<int64_t>& fallback) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    std::vector<int64_t> out;
    size_t pos = 0;
    const std::string& s = it->second;
    while (pos < s.size()) {
        const size_t comma = s.find(',', pos);
        out.push_back(std::stoll(s.substr(pos, comma - pos)));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return out;
}

bool Args::flag(const std::string& key) const {
    return values_.count(key) != 0;
}

namespace {

int64_t status_kib(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
    }
    return 0;
}

}  // namespace

int64_t peak_rss_bytes() {
    return status_kib("VmHWM") * 1024;
}
int64_t current_rss_bytes() {
    return status_kib("VmRSS") * 1024;
}

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double process_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto sec = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
    };
    return sec(u.ru_utime) + sec(u.ru_stime);
}

namespace {

// Sums 64-bit words [lo, hi) with 256-bit loads and four independent accumulators, so
// the loop is limited by the loads alone (an SSE loop on one core does not saturate DRAM).
__attribute__((target("avx2"))) uint64_t sum_avx2(const uint64_t* p, size_t lo, size_t hi) {
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    size_t i = lo;
    for (; i + 16 <= hi; i += 16) {
        a0 = _mm256_add_epi64(a0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i)));
        a1 = _mm256_add_epi64(a1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 4)));
        a2 = _mm256_add_epi64(a2, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 8)));
        a3 = _mm256_add_epi64(a3, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 12)));
    }
    alignas(32) uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes),
                       _mm256_add_epi64(_mm256_add_epi64(a0, a1), _mm256_add_epi64(a2, a3)));
    uint64_t s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    for (; i < hi; ++i) s += p[i];
    return s;
}

uint64_t sum_plain(const uint64_t* p, size_t lo, size_t hi) {
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = lo;
    for (; i + 4 <= hi; i += 4) {
        s0 += p[i];
        s1 += p[i + 1];
        s2 += p[i + 2];
        s3 += p[i + 3];
    }
    for (; i < hi; ++i) s0 += p[i];
    return s0 + s1 + s2 + s3;
}

}  // namespace

double measure_read_bandwidth(int threads, int64_t bytes) {
    const size_t words = static_cast<size_t>(bytes) / sizeof(uint64_t);
    std::vector<uint64_t> buf(words);
    for (size_t i = 0; i < words; ++i) buf[i] = i;  // touch every page before timing
    const bool avx2 = __builtin_cpu_supports("avx2");
    ll::ThreadPool pool(threads);
    std::vector<uint64_t> sums(static_cast<size_t>(threads) * 8);  // one cache line each
    double best = 0;
    for (int pass = 0; pass < 8; ++pass) {
        const double t0 = now_seconds();
        pool.run(threads, [&](int t) {
            const size_t lo = words * static_cast<size_t>(t) / static_cast<size_t>(threads);
            const size_t hi = words * static_cast<size_t>(t + 1) / static_cast<size_t>(threads);
            sums[static_cast<size_t>(t) * 8] =
                avx2 ? sum_avx2(buf.data(), lo, hi) : sum_plain(buf.data(), lo, hi);
        });
        const double dt = now_seconds() - t0;
        best = std::max(best, static_cast<double>(words * sizeof(uint64_t)) / dt);
    }
    uint64_t total = 0;
    for (uint64_t s : sums) total += s;
    if (total == 42) std::fprintf(stderr, " ");  // keeps the sums alive
    return best;
}

void emit(const nlohmann::json& j, bool as_json, const std::string& title) {
    if (as_json) {
        std::cout << j.dump() << std::endl;
        return;
    }
    std::cout << title << "\n";
    for (auto it = j.begin(); it != j.end(); ++it) {
        std::string v = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
        std::printf("  %-26s %s\n", it.key().c_str(), v.c_str());
    }
    std::cout << std::flush;
}

int run_bandwidth(const Args& args) {
    const int threads = static_cast<int>(args.count("threads", 2));
    const int64_t mib = args.count("mib", 1024);
    const double bw = measure_read_bandwidth(threads, mib << 20);
    nlohmann::json j{
        {"study", "bandwidth"}, {"threads", threads}, {"buffer_mib", mib}, {"read_gb_s", bw / 1e9}};
    emit(j, args.flag("json"), "read bandwidth");
    return 0;
}

}  // namespace llbench
