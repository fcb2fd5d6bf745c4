// EPUB import on archives built here with libzip: spine order (not manifest order), nav
// titles as chapters, XHTML reduced to text, and damaged archives reported.
#include <gtest/gtest.h>

#include <QFileInfo>

#include <zip.h>

#include "documents/import_error.h"
#include "import_test_support.h"

using namespace ll;

namespace {

using Members = QList<QPair<QByteArray, QByteArray>>;

QString write_zip(const QTemporaryDir& dir, const QString& name, const Members& members) {
    const QString path = dir.filePath(name);
    int err = 0;
    zip_t* z = zip_open(path.toUtf8().constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) return {};
    // The buffers must stay alive until zip_close writes them.
    for (const auto& [member, data] : members) {
        zip_source_t* src = zip_source_buffer(z, data.constData(), zip_uint64_t(data.size()), 0);
        zip_file_add(z, member.constData(), src, ZIP_FL_OVERWRITE);
    }
    zip_close(z);
    return path;
}

QByteArray chapter(const QByteArray& heading, const QByteArray& body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html "
           "xmlns=\"http://www.w3.org/1999/xhtml\">"
           "<head><title>ignored title</title><style>p{}</style></head><body><h1>" +
           heading + "</h1><p>" + body + "</p><p>Second <em>para</em>graph.</p></body></html>";
}

Members sample_book() {
    const QByteArray opf =
        "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
        "<manifest><item id=\"nav\" href=\"nav.xhtml\" properties=\"nav\" "
        "media-type=\"application/xhtml+xml\"/>"
        "<item id=\"c2\" href=\"text/two.xhtml\" media-type=\"application/xhtml+xml\"/>"
        "<item id=\"c1\" href=\"text/one.xhtml\" media-type=\"application/xhtml+xml\"/></manifest>"
        "<spine><itemref idref=\"c1\"/><itemref idref=\"c2\"/></spine></package>";
    const QByteArray nav =
        "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><nav><ol>"
        "<li><a href=\"text/one.xhtml\">The Beginning</a></li>"
        "<li><a href=\"text/two.xhtml#x\">The End</a></li></ol></nav></body></html>";
    return {{"mimetype", "application/epub+zip"},
            {"META-INF/container.xml",
             "<?xml version=\"1.0\"?><container version=\"1.0\" "
             "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile "
             "full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
             "</rootfiles></container>"},
            {"OEBPS/content.opf", opf},
            {"OEBPS/nav.xhtml", nav},
            {"OEBPS/text/one.xhtml", chapter("Opening", "It was a dark &amp; stormy night.")},
            {"OEBPS/text/two.xhtml", chapter("Closing", "And then it was over.")}};
}

}  // namespace

TEST(EpubImport, SpineOrderNavTitlesAndText) {
    QTemporaryDir dir;
    const QString path = write_zip(dir, "book.bin", sample_book());  // no .epub: sniffed
    const Document doc = import_document(path);
    EXPECT_EQ(doc.format, DocumentFormat::Epub);
    EXPECT_TRUE(doc.text.startsWith("Opening\nIt was a dark & stormy night.\nSecond paragraph."))
        << qPrintable(doc.text);
    EXPECT_LT(doc.text.indexOf("dark"), doc.text.indexOf("over"));
    EXPECT_FALSE(doc.text.contains("ignored title"));
    ASSERT_EQ(doc.outline.size(), 2);
    EXPECT_EQ(doc.outline[0].title, "The Beginning");
    EXPECT_EQ(doc.outline[1].title, "The End");
    EXPECT_EQ(doc.outline[1].start, doc.text.indexOf("Closing"));
}

TEST(EpubImport, Epub2TocNcxTitles) {
    QTemporaryDir dir;
    Members members = sample_book();
    members[2].second.replace("properties=\"nav\" media-type=\"application/xhtml+xml\"",
                              "media-type=\"application/x-dtbncx+xml\"");
    members[2].second.replace("href=\"nav.xhtml\"", "href=\"toc.ncx\"");
    members[3] = {"OEBPS/toc.ncx",
                  "<?xml version=\"1.0\"?><ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\">"
                  "<navMap><navPoint id=\"a\"><navLabel><text>First</text></navLabel>"
                  "<content src=\"text/one.xhtml\"/></navPoint><navPoint id=\"b\"><navLabel>"
                  "<text>Second</text></navLabel><content src=\"text/two.xhtml\"/></navPoint>"
                  "</navMap></ncx>"};
    const Document doc = import_document(write_zip(dir, "old.epub", members));
    ASSERT_EQ(doc.outline.size(), 2);
    EXPECT_EQ(doc.outline[0].title, "First");
    EXPECT_EQ(doc.outline[1].title, "Second");
}

TEST(EpubImport, MissingContainerIsAClearError) {
    QTemporaryDir dir;
    Members members = sample_book();
    members.removeAt(1);
    const QString path = write_zip(dir, "broken.epub", members);
    try {
        import_document(path);
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_TRUE(e.problem().contains("container.xml")) << e.what();
    }
}

TEST(EpubImport, TruncatedArchiveIsAClearError) {
    QTemporaryDir dir;
    QFile f(write_zip(dir, "t.epub", sample_book()));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll().left(200);
    const QString path = lltest::write_file(dir, "cut.epub", bytes);
    EXPECT_THROW(import_document(path), ImportError);
}

// ZIP bombs (issue 21 §2): a member that inflates past the per-member limit, or spine
// documents that together pass the total, are refused naming the limit before anything is
// inflated; neither is misreported as a missing document.
TEST(EpubImport, AMemberInflatingPastTheLimitIsRefusedNamingIt) {
    QTemporaryDir dir;
    Members members = sample_book();
    const QByteArray huge =
        "<html><body><p>" + QByteArray(65 * 1024 * 1024, ' ') + "</p></body></html>";
    members[4].second = huge;  // OEBPS/text/one.xhtml
    const QString path = write_zip(dir, "bomb.epub", members);
    ASSERT_LT(QFileInfo(path).size(), 1024 * 1024);  // deflate makes 65 MB of spaces tiny
    try {
        import_document(path);
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_TRUE(
            e.problem().contains("OEBPS/text/one.xhtml inflates to 65 MB, more than the "
                                 "64 MB"))
            << e.what();
    }
}

TEST(EpubImport, SpineDocumentsInflatingPastTheTotalAreRefused) {
    QTemporaryDir dir;
    Members members = sample_book();
    QByteArray opf = members[2].second;
    QByteArray manifest, spine;
    const QByteArray body = QByteArray(60 * 1024 * 1024, ' ');  // under the member limit
    for (int i = 0; i < 5; ++i) {
        const QByteArray n = QByteArray::number(i);
        manifest += "<item id=\"b" + n + "\" href=\"text/b" + n +
                    ".xhtml\" media-type=\"application/xhtml+xml\"/>";
        spine += "<itemref idref=\"b" + n + "\"/>";
        members.append({"OEBPS/text/b" + n + ".xhtml", body});
    }
    opf.replace("</manifest>", manifest + "</manifest>");
    opf.replace("</spine>", spine + "</spine>");
    members[2].second = opf;
    try {
        import_document(write_zip(dir, "bombs.epub", members));
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_TRUE(e.problem().contains("more than the 256 MB LongLens reads of one EPUB"))
            << e.what();
    }
}

// A spine that lists one chapter a thousand times: read once, with a warning.
TEST(EpubImport, ASpineRepeatingAMemberReadsItOnce) {
    QTemporaryDir dir;
    Members members = sample_book();
    members[2].second.replace("<itemref idref=\"c2\"/>",
                              QByteArray("<itemref idref=\"c2\"/>").repeated(1000));
    const Document doc = import_document(write_zip(dir, "loop.epub", members));
    EXPECT_EQ(doc.text.count("And then it was over."), 1);
    ASSERT_EQ(doc.warnings.size(), 1);
    EXPECT_TRUE(doc.warnings[0].contains("text/two.xhtml 1000 times; its text is read once"))
        << qPrintable(doc.warnings[0]);
}
