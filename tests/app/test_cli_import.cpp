// longlens-cli import / locate as a user runs them: the JSON shape issue 5 specifies, exit
// codes, and errors that name the file.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include "shared_data.h"

namespace {

struct CliRun {
    int exit_code = -1;
    QByteArray out, err;
};

CliRun cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(LONGLENS_BINARY_DIR "/longlens-cli"), args);
    CliRun r;
    if (!p.waitForFinished(120000)) return r;
    r.exit_code = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QJsonObject json_of(const CliRun& r) {
    return QJsonDocument::fromJson(r.out).object();
}

QString corpus(const char* rel) {
    return QString::fromStdString(lltest::shared_path(std::string("corpus/") + rel));
}

}  // namespace

TEST(CliImport, CivilCodeMarkdownJson) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.md");
    const CliRun r = cli({"import", corpus("legal/prc-civil-code-zh.md"), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.constData();
    const QJsonObject j = json_of(r);
    EXPECT_EQ(j["format"].toString(), "markdown");
    EXPECT_EQ(j["encoding"].toString(), "UTF-8");
    EXPECT_GT(j["chars"].toInt(), 100000);
    EXPECT_EQ(j["pages"].toInt(), 0);
    const QJsonObject counts = j["counts"].toObject();
    EXPECT_EQ(counts["article"].toInt(), 1260);
    EXPECT_EQ(counts["part"].toInt(), 7);
    for (const char* key : {"part", "chapter", "section", "article"})
        EXPECT_TRUE(counts.contains(key)) << key;
    const QJsonArray outline = j["outline"].toArray();
    ASSERT_FALSE(outline.isEmpty());
    const QJsonObject first = outline[0].toObject();
    for (const char* key : {"level", "title", "start", "end"})
        EXPECT_TRUE(first.contains(key)) << key;
}

TEST(CliImport, EncodingOverride) {
    LL_REQUIRE_SHARED("corpus/novels/journey-to-the-west-xiyouji.gbk.txt");
    const CliRun detected =
        cli({"import", corpus("novels/journey-to-the-west-xiyouji.gbk.txt"), "--json"});
    EXPECT_EQ(json_of(detected)["encoding"].toString(), "GB18030");
    EXPECT_EQ(json_of(detected)["counts"].toObject()["chapter"].toInt(), 100);
    const CliRun big5 = cli({"import", corpus("novels/journey-to-the-west-xiyouji.gbk.txt"),
                             "--encoding", "Big5", "--json"});
    ASSERT_EQ(big5.exit_code, 0);
    EXPECT_EQ(json_of(big5)["encoding"].toString(), "Big5");
    EXPECT_NE(json_of(big5)["counts"].toObject()["chapter"].toInt(), 100);  // mojibake
}

TEST(CliLocate, PdfRangeGivesPageAndRectangles) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    const CliRun imp = cli({"import", corpus("legal/prc-civil-code-zh.pdf"), "--json"});
    ASSERT_EQ(imp.exit_code, 0);
    EXPECT_EQ(json_of(imp)["pages"].toInt(), 234);
    // The last article, wherever the outline says it is.
    const QJsonArray outline = json_of(imp)["outline"].toArray();
    const QJsonObject last = outline.last().toObject();
    const CliRun loc = cli({"locate", corpus("legal/prc-civil-code-zh.pdf"), "--start",
                            QString::number(last["start"].toInteger()), "--end",
                            QString::number(last["start"].toInteger() + 10), "--json"});
    ASSERT_EQ(loc.exit_code, 0) << loc.err.constData();
    const QJsonObject j = json_of(loc);
    EXPECT_TRUE(j["text"].toString().startsWith(QStringLiteral("第一千二百六十条")));
    EXPECT_EQ(j["page"].toInt(), 234);
    const QJsonArray rects = j["rects"].toArray();
    ASSERT_EQ(rects.size(), 1);
    EXPECT_GT(rects[0].toObject()["width"].toDouble(), 50);
    EXPECT_GT(rects[0].toObject()["height"].toDouble(), 5);
}

TEST(CliLocate, TextRangeGivesLineAndColumn) {
    LL_REQUIRE_SHARED("corpus/legal/us-constitution.en.txt");
    const CliRun r = cli(
        {"locate", corpus("legal/us-constitution.en.txt"), "--start", "0", "--end", "8", "--json"});
    ASSERT_EQ(r.exit_code, 0);
    const QJsonObject j = json_of(r);
    EXPECT_EQ(j["text"].toString(), "PREAMBLE");
    EXPECT_EQ(j["from"].toObject()["line"].toInt(), 1);
    EXPECT_EQ(j["to"].toObject()["column"].toInt(), 9);
    EXPECT_FALSE(j.contains("rects"));
}

TEST(CliImport, ErrorsNameTheFileAndExitNonZero) {
    const CliRun missing = cli({"import", "/nonexistent/book.pdf", "--json"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(missing.err.contains("/nonexistent/book.pdf")) << missing.err.constData();
    const CliRun usage = cli({"locate", "/x.txt", "--start", "5", "--end", "2"});
    EXPECT_EQ(usage.exit_code, 2);
}

TEST(CliImport, PaperPartsInJson) {
    LL_REQUIRE_SHARED("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf");
    const CliRun r =
        cli({"import", corpus("papers/attention-is-all-you-need-1706.03762v5.pdf"), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonObject paper = json_of(r)["paper"].toObject();
    EXPECT_EQ(paper["title"].toString(), "Attention Is All You Need");
    EXPECT_EQ(paper["captions"].toArray().size(), 9);     // Figures 1–5, Tables 1–4
    EXPECT_EQ(paper["references"].toArray().size(), 40);  // [1] … [40]
    const QJsonObject first = paper["references"].toArray()[0].toObject();
    EXPECT_EQ(first["label"].toString(), "[1]");
    EXPECT_EQ(first["year"].toInt(), 2016);
    EXPECT_EQ(first["arxiv"].toString(), "1607.06450");
    EXPECT_EQ(first["authors"].toArray().size(), 3);
    bool subsection = false;
    for (const QJsonValue& s : paper["sections"].toArray())
        subsection |= s.toObject()["number"].toString() == "3.2.1" &&
                      s.toObject()["title"].toString() == "Scaled Dot-Product Attention";
    EXPECT_TRUE(subsection);
    // The four footnotes; the first keeps where its mark "∗" stands, after "Vaswani" (40
    // in both counts: nothing outside the BMP comes before it).
    const QJsonArray notes = paper["footnotes"].toArray();
    ASSERT_EQ(notes.size(), 4);
    EXPECT_EQ(notes[0].toObject()["marker"].toString(), "∗");
    EXPECT_EQ(notes[0].toObject()["marker_at"].toInt(), 40);
    EXPECT_EQ(notes[0].toObject()["marker_at_cp"].toInt(), 40);
    EXPECT_FALSE(notes[1].toObject().contains("marker_at"));  // "Gomez∗ †": not glued on
}

TEST(CliImport, ContentsTargetsCodePointsAndNoStructureNote) {
    // A contents entry names the index of its heading; offsets come in UTF-16 units and in
    // code points, which part after a character outside the BMP (𠀀 is two UTF-16 units).
    const QString dir = QStringLiteral(LL_UNSEEN_DATA);
    CliRun r = cli({"import", dir + "/keeper-of-gull-rock.pg.txt", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.constData();
    QJsonArray outline = json_of(r)["outline"].toArray();
    ASSERT_EQ(outline.size(), 22);
    EXPECT_EQ(outline[5].toObject()["kind"].toString(), "contents-entry");
    EXPECT_EQ(outline[5].toObject()["target"].toInt(), 13);
    EXPECT_EQ(outline[13].toObject()["title"].toString(), "CHAPTER I. The Rock");
    EXPECT_EQ(outline[13].toObject()["start_cp"].toInt(), outline[13].toObject()["start"].toInt());

    QTemporaryDir tmp;
    const QString path = tmp.filePath("wide.txt");
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("𠀀 before.\n\nCHAPTER I\n\nText.\n\nCHAPTER II\n\nMore.\n").toUtf8());
    f.close();
    r = cli({"import", path, "--json"});
    outline = json_of(r)["outline"].toArray();
    ASSERT_EQ(outline.size(), 2);
    EXPECT_EQ(outline[0].toObject()["start"].toInt(), 12);
    EXPECT_EQ(outline[0].toObject()["start_cp"].toInt(), 11);
    EXPECT_FALSE(json_of(r).contains("outline_note"));

    const QString plain = tmp.filePath("plain.txt");
    QFile g(plain);
    ASSERT_TRUE(g.open(QIODevice::WriteOnly));
    g.write("Just a paragraph.\n\nAnd another.\n");
    g.close();
    r = cli({"import", plain, "--json"});
    EXPECT_EQ(json_of(r)["outline_note"].toString(), "no structure found; navigate by paragraph");
}
