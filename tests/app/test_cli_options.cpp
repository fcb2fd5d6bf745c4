// Absurd options (issue 21 §4): every number is read strictly and in range, NaN, Inf,
// negatives, garbage and values that would wrap are refused before any work, the message
// naming the option and what it accepts; nothing is answered from them.
#include <gtest/gtest.h>

#include "bundled.h"
#include "cli_process.h"

namespace {

struct Case {
    QStringList args;
    const char* option;
};

TEST(CliOptions, AbsurdNumbersAreRefusedNamingTheOption) {
    const QString doc = ll::bundled::sample_document();
    const QList<Case> cases = {
        {{"ask", "--doc", doc, "-n", "-3", "What?"}, "-n"},
        {{"ask", "--doc", doc, "-n", "5x", "What?"}, "-n"},
        {{"ask", "--doc", doc, "--ctx", "4294967296", "What?"}, "--ctx"},
        {{"ask", "--doc", doc, "--ctx", "nan", "What?"}, "--ctx"},
        {{"ask", "--doc", doc, "--threads", "-1", "What?"}, "--threads"},
        {{"generate", "--temp", "nan"}, "--temp"},
        {{"generate", "--temp", "-1"}, "--temp"},
        {{"generate", "--top-p", "2"}, "--top-p"},
        {{"generate", "--top-k", "-5"}, "--top-k"},
        {{"generate", "-n", "1e9"}, "-n"},
        {{"needle", "--doc", doc, "--needle", "x", "--ctx", "512", "--depth", "1.5"}, "--depth"},
        {{"needle", "--doc", doc, "--needle", "x", "--ctx", "-512"}, "--ctx"},
        {{"info", "--rope-theta", "inf"}, "--rope-theta"},
        {{"info", "--ctx", "99999999999"}, "--ctx"},
        {{"compare", "--doc", doc, "--question", "x", "--run", "context=full", "--run",
          "scaling=none", "-n", "0"},
         "-n"},
    };
    for (const Case& c : cases) {
        const CliResult r = run_cli(c.args);
        const QString what = c.args.join(' ');
        EXPECT_EQ(r.exit_code, 1) << qPrintable(what) << "\n" << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(QByteArray(c.option) + ": expected")) << qPrintable(what) << "\n"
                                                                         << r.err.toStdString();
        EXPECT_TRUE(r.out.isEmpty()) << qPrintable(what) << "\n" << r.out.toStdString();
    }
}

}  // namespace
