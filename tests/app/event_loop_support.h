// Helpers for app/ tests that need Qt's event loop: one QCoreApplication per test binary,
// and a wait that runs the loop until a condition holds (a timer wakes it; nothing sleeps).
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <functional>

namespace lltest {

// The test binary's QCoreApplication, made on first use.
inline QCoreApplication& core_app() {
    static int argc = 1;
    static char name[] = "longlens-test";
    static char* argv[] = {name, nullptr};
    static QCoreApplication instance(argc, argv);
    return instance;
}

// Runs the event loop until `done` holds (true) or `limit_ms` pass (false).
inline bool run_until(const std::function<bool()>& done, int limit_ms = 60000) {
    QTimer tick;
    tick.start(50);
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < limit_ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

}  // namespace lltest
