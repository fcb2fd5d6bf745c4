// import_bench: how long importing takes per file (median of a few runs), to keep an eye
// on the budgets of issue 5 — a 2 MB novel in under a second, a 20-page paper in under
// two. Measures only; nothing here asserts. Prints a table, then one JSON line per file.
//
//   import_bench [--runs N] [FILE...]   (default: the corpus files under LONGLENS_SHARED_DIR)
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "documents/import_error.h"
#include "documents/importer.h"

namespace {

QStringList default_files() {
    const QString root = QStringLiteral(LONGLENS_SHARED_DIR "/corpus/");
    QStringList files;
    for (const char* rel :
         {"novels/journey-to-the-west-xiyouji.utf8.txt",
          "novels/journey-to-the-west-xiyouji.gbk.txt",
          "novels/pride-and-prejudice-austen.pg1342.cp1252.txt", "legal/prc-civil-code-zh.md",
          "legal/prc-civil-code-zh.pdf", "papers/yarn-2309.00071v2.pdf",
          "papers/attention-is-all-you-need-1706.03762v5.pdf"})
        if (QFileInfo::exists(root + rel)) files.append(root + rel);
    return files;
}

double median_ms(const QString& path, int runs, ll::Document* last) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        *last = ll::import_document(path);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int runs = 3;
    if (args.size() >= 2 && args[0] == QLatin1String("--runs")) {
        runs = std::max(1, args[1].toInt());
        args = args.mid(2);
    }
    const QStringList files = args.isEmpty() ? default_files() : args;
    std::printf("%-55s %10s %10s %6s %10s\n", "file", "MB", "chars", "pages", "ms");
    QList<QJsonObject> rows;
    for (const QString& path : files) {
        ll::Document doc;
        try {
            const double ms = median_ms(path, runs, &doc);
            const double mb = double(QFileInfo(path).size()) / (1024.0 * 1024.0);
            std::printf("%-55s %10.2f %10lld %6d %10.1f\n", qPrintable(QFileInfo(path).fileName()),
                        mb, static_cast<long long>(doc.text.size()), doc.page_count, ms);
            rows.append(QJsonObject{{"file", path},
                                    {"bytes", double(QFileInfo(path).size())},
                                    {"format", ll::format_name(doc.format)},
                                    {"chars", double(doc.text.size())},
                                    {"pages", doc.page_count},
                                    {"median_ms", ms},
                                    {"runs", runs}});
        } catch (const ll::ImportError& e) {
            std::printf("%-55s error: %s\n", qPrintable(QFileInfo(path).fileName()), e.what());
        }
    }
    for (const QJsonObject& r : rows)
        std::printf("%s\n", QJsonDocument(r).toJson(QJsonDocument::Compact).constData());
    return 0;
}
