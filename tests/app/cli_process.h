// Runs the real longlens-cli of this build as a separate process, as a user would, and
// keeps what it printed: the CLI tests check exit codes and output, never internals.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

struct CliResult {
    int exit_code = -1;  // -1 when the process crashed or did not finish
    QByteArray out, err;
};

// The environment of a CLI run: the test's, with a data folder of the test program's own, so
// the answers `ask` stores go to a throwaway library rather than the user's.
inline QProcessEnvironment cli_environment() {
    static QTemporaryDir data;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", data.path());
    return env;
}

// `env`: the environment it runs in (a test gives it fresh XDG folders to own a library).
inline CliResult run_cli(const QStringList& args,
                         const QProcessEnvironment& env = cli_environment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QString(LONGLENS_BINARY_DIR) + "/longlens-cli", args);
    p.waitForFinished(600000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}
