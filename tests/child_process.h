// Runs part of a test in a forked child, under limits the test process must not take on
// itself (address space, file size): the child's exit code and what it reported.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <string>

namespace lltest {

struct ChildOutcome {
    bool exited = false;  // false: it was killed, or could not be started or waited for
    int code = -1;
    std::string message;  // what it wrote to its report descriptor
};

// `body(report_fd)` runs in the child and returns its exit code; the child ends there and
// never returns into the test framework.
inline ChildOutcome run_in_child(const std::function<int(int report_fd)>& body) {
    ChildOutcome out;
    int report[2];
    if (::pipe(report) != 0) return out;
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(report[0]);
        ::close(report[1]);
        return out;
    }
    if (child == 0) {
        ::close(report[0]);
        const int code = body(report[1]);
        ::close(report[1]);
        ::_exit(code);
    }
    ::close(report[1]);
    char buf[512];
    for (ssize_t n; (n = ::read(report[0], buf, sizeof buf)) > 0;)
        out.message.append(buf, size_t(n));
    ::close(report[0]);
    int status = 0;
    if (::waitpid(child, &status, 0) != child) return out;
    out.exited = WIFEXITED(status);
    out.code = out.exited ? WEXITSTATUS(status) : -1;
    return out;
}

inline void report(int fd, const char* text) {
    (void)!::write(fd, text, std::strlen(text));
}

}  // namespace lltest
