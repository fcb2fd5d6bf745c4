// Terminal safety (issue 21 §6): what longlens-cli prints as text never carries a raw control
// character (an escape sequence in a document, an answer or a title would drive the
// terminal); newline and tab stay; --json and --output keep the text exact.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli/terminal_text.h"
#include "cli_process.h"
#include "library_store.h"

namespace {

// Set the window title, clear the screen, a carriage return that hides what came before,
// a bell, DEL, and the one-character CSI (U+009B) of the C1 range.
const QString kHostile = QString::fromUtf8(
    "Title\x1b]0;owned\x07 and \x1b[2J clear\r hidden\x7f \xc2\x9b"
    "31m red\n\tnext line");

bool has_raw_control(const QByteArray& bytes) {
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return true;
        if (c == 0xc2 && i + 1 < bytes.size() && (unsigned char)bytes[i + 1] >= 0x80 &&
            (unsigned char)bytes[i + 1] <= 0x9f)
            return true;
    }
    return false;
}

}  // namespace

TEST(TerminalText, ControlCharactersBecomeVisibleEscapes) {
    const QByteArray out = ll::cli::terminal_text(kHostile);
    EXPECT_EQ(out, QByteArray("Title\\x1B]0;owned\\x07 and \\x1B[2J clear\\x0D hidden\\x7F "
                              "\\u009B31m red\n\tnext line"));
    EXPECT_FALSE(has_raw_control(out));
    // Other text, CJK and accents included, is untouched.
    const QString plain = QString::fromUtf8("第十二回 café — “quoted” ¶ 3\n");
    EXPECT_EQ(ll::cli::terminal_text(plain), plain.toUtf8());
    EXPECT_EQ(ll::cli::terminal_text(std::string_view("a\x1b"
                                                      "b")),
              "a\\x1Bb");
}

// `import --text` prints the document's text; the escape sequences are shown, not obeyed.
TEST(TerminalText, ImportTextIsEscaped) {
    QTemporaryDir dir;
    const QString file = dir.filePath("hostile.txt");
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("A novel, chapter one.\n\n").repeated(20) + kHostile.toUtf8() + "\n");
    f.close();
    const CliResult r = run_cli({"import", file, "--text"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    EXPECT_FALSE(has_raw_control(r.out));
    EXPECT_TRUE(r.out.contains("Title\\x1B]0;owned\\x07")) << r.out.toStdString();
}

// `library show` prints titles, questions and answers; `library export --format json` keeps
// the answer exact (JSON escapes control characters itself).
TEST(TerminalText, LibraryShowIsEscapedJsonStaysExact) {
    QTemporaryDir dir;
    {
        ll::LibraryStore store(dir.filePath("library.sqlite"));
        const qint64 id =
            store.note_opened("ab12cd34ef56ab12", "/docs/x.txt", kHostile, "text", "");
        ll::AnswerRecord a;
        a.question = "Q\x1b[1A?";
        a.answer = kHostile;
        ASSERT_TRUE(store.add_answer(id, a)) << store.error().toStdString();
    }
    const CliResult show = run_cli({"library", "show", "1", "--library", dir.path()});
    ASSERT_EQ(show.exit_code, 0) << show.err.toStdString();
    EXPECT_FALSE(has_raw_control(show.out)) << show.out.toStdString();
    EXPECT_TRUE(show.out.contains("Q\\x1B[1A?")) << show.out.toStdString();
    const CliResult list = run_cli({"library", "list", "--library", dir.path()});
    EXPECT_FALSE(has_raw_control(list.out)) << list.out.toStdString();
    const CliResult md = run_cli({"library", "export", "1", "--library", dir.path()});
    EXPECT_FALSE(has_raw_control(md.out)) << md.out.toStdString();
    const CliResult json =
        run_cli({"library", "export", "1", "--format", "json", "--library", dir.path()});
    ASSERT_EQ(json.exit_code, 0) << json.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(json.out).object();
    EXPECT_EQ(o.value("answers").toArray().at(0).toObject().value("answer").toString(), kHostile)
        << json.out.toStdString();
}
