// The structure test set of issue 20: for each document, the whole outline the importer
// finds — kind, level, number, title and, in a PDF, the printed page — compared line by
// line with the outline written down from the document (tests/app/data/outlines/*.outline;
// derive.py there says how each was read). The Gutenberg novels, the contracts and the
// labelled guideline PDF are compared the same way in test_structure and
// test_unseen_structure/test_unseen_pdf.
#include <gtest/gtest.h>

#include <QFile>

#include "import_test_support.h"

using namespace ll;

namespace {

QStringList expected_outline(const QString& name) {
    QFile f(QStringLiteral(LL_OUTLINE_DATA "/") + name + QStringLiteral(".outline"));
    if (!f.open(QIODevice::ReadOnly)) return {QStringLiteral("cannot read ") + f.fileName()};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// A PDF's article runs on over its lines, so it is named by its heading alone ("第一条").
QString shown_title(const Document& doc, const OutlineNode& n) {
    if (doc.format == DocumentFormat::Pdf && n.kind == StructureKind::Article)
        return n.title.section(QLatin1Char(' '), 0, 0);
    return n.title;
}

QStringList outline_of(const Document& doc) {
    QStringList out;
    for (const OutlineNode& n : doc.outline) {
        QString line = QStringLiteral("%1 L%2 #%3 '%4'")
                           .arg(kind_name(n.kind))
                           .arg(n.level)
                           .arg(n.number)
                           .arg(shown_title(doc, n));
        if (doc.format == DocumentFormat::Pdf)
            line += QStringLiteral(" p. ") + doc.page_label(doc.page_of(n.start));
        out.append(line);
    }
    return out;
}

// Compares the whole outline and names the first line that differs (the files are long).
void expect_outline(const std::string& rel, const QString& name) {
    const Document doc = lltest::import_shared(rel);
    const QStringList got = outline_of(doc), want = expected_outline(name);
    for (qsizetype i = 0; i < std::max(got.size(), want.size()); ++i)
        if (got.value(i) != want.value(i)) {
            ADD_FAILURE() << name.toStdString() << " line " << i + 1 << ": got '"
                          << got.value(i).toStdString() << "', want '"
                          << want.value(i).toStdString() << "'";
            break;
        }
    EXPECT_EQ(got.size(), want.size());
}

}  // namespace

TEST(StructureSet, CivilCodeMarkdown) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.md");
    expect_outline("corpus/legal/prc-civil-code-zh.md", "prc-civil-code-zh.md");
}

TEST(StructureSet, CivilCodePdf) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    expect_outline("corpus/legal/prc-civil-code-zh.pdf", "prc-civil-code-zh.pdf");
}

TEST(StructureSet, UsConstitution) {
    LL_REQUIRE_SHARED("corpus/legal/us-constitution.en.txt");
    expect_outline("corpus/legal/us-constitution.en.txt", "us-constitution.en.txt");
}

TEST(StructureSet, AttentionIsAllYouNeed) {
    LL_REQUIRE_SHARED("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf");
    expect_outline("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf",
                   "attention-is-all-you-need.pdf");
}

TEST(StructureSet, Yarn) {
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    expect_outline("corpus/papers/yarn-2309.00071v2.pdf", "yarn.pdf");
}
