// Runs the real longlens-cli of this build as a separate process, as a user would, and
// keeps what it printed: the CLI tests check exit codes and output, never internals.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

struct CliResult {
    int exit_code = -1;  // -1 when the process crashed or did not finish
    QByteArray out, err;
};

inline CliResult run_cli(const QStringList& args) {
    QProcess p;
    p.start(QString(LONGLENS_BINARY_DIR) + "/longlens-cli", args);
    p.waitForFinished(600000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}
