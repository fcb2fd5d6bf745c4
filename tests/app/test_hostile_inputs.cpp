// Inputs that must give a clear error naming the file, or degrade gracefully, and never
// crash: empty and missing files, random bytes, truncated PDFs, huge files.
#include <gtest/gtest.h>

#include <QRandomGenerator>

#include <cstdio>
#include <cstring>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_process.h"
#include "documents/import_error.h"
#include "import_test_support.h"
#include "pdf_fixtures.h"

using namespace ll;

namespace {

// Imports `path` and returns the error message, or "" when the import succeeded.
QString import_error_of(const QString& path) {
    try {
        import_document(path);
    } catch (const ImportError& e) {
        EXPECT_TRUE(QString::fromUtf8(e.what()).startsWith(path)) << e.what();
        return e.problem();
    }
    return {};
}

}  // namespace

TEST(HostileInputs, EmptyFile) {
    QTemporaryDir dir;
    EXPECT_TRUE(import_error_of(lltest::write_file(dir, "empty.txt", {})).contains("empty"));
}

// A FIFO, a folder: refused by their type, never opened (a FIFO would block the import).
TEST(HostileInputs, FifosAndFoldersAreRefusedNotWaitedOn) {
    QTemporaryDir dir;
    const QString fifo = dir.filePath("pipe.txt");
    ASSERT_EQ(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    EXPECT_TRUE(import_error_of(fifo).contains("not a regular file"));
    EXPECT_TRUE(import_error_of(dir.path()).contains("folder"));
}

TEST(HostileInputs, MissingFile) {
    QTemporaryDir dir;
    EXPECT_TRUE(import_error_of(dir.filePath("nope.pdf")).contains("no such file"));
}

TEST(HostileInputs, RandomBytesAreNotText) {
    QTemporaryDir dir;
    for (int seed = 1; seed <= 20; ++seed) {
        QRandomGenerator rng(seed);
        QByteArray bytes(4096 * seed, Qt::Uninitialized);
        for (char& c : bytes) c = char(rng.bounded(256));
        const QString problem = import_error_of(lltest::write_file(dir, "noise.txt", bytes));
        EXPECT_TRUE(problem.contains("not a text document")) << qPrintable(problem);
    }
}

TEST(HostileInputs, RandomBytesBehindAPdfHeader) {
    QTemporaryDir dir;
    QRandomGenerator rng(7);
    QByteArray bytes = "%PDF-1.7\n";
    for (int i = 0; i < 20000; ++i) bytes.append(char(rng.bounded(256)));
    EXPECT_FALSE(import_error_of(lltest::write_file(dir, "noise.pdf", bytes)).isEmpty());
}

TEST(HostileInputs, TruncatedPdfs) {
    QTemporaryDir dir;
    lltest::PdfPage page;
    for (int i = 0; i < 40; ++i)
        page.append({72, 700.0 - 12 * i, "line of text number " + QByteArray::number(i)});
    const QByteArray whole = lltest::make_pdf({page, page, page});
    for (double keep : {0.1, 0.3, 0.5, 0.7, 0.9, 0.99}) {
        const QString path =
            lltest::write_file(dir, "cut.pdf", whole.left(qsizetype(whole.size() * keep)));
        try {
            const Document doc = import_document(path);  // Poppler may rebuild what is left
            EXPECT_EQ(doc.boxes.size(), doc.text.size());
        } catch (const ImportError& e) {
            EXPECT_TRUE(QString::fromUtf8(e.what()).startsWith(path));
        }
    }
}

TEST(HostileInputs, TruncatedRealPdf) {
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    QTemporaryDir dir;
    const QByteArray whole = QByteArray::fromStdString(
        lltest::read_text(lltest::shared_path("corpus/papers/yarn-2309.00071v2.pdf")));
    const QString path = lltest::write_file(dir, "cut.pdf", whole.left(whole.size() / 3));
    try {
        const Document doc = import_document(path);
        EXPECT_EQ(doc.boxes.size(), doc.text.size());
    } catch (const ImportError& e) {
        EXPECT_TRUE(QString::fromUtf8(e.what()).startsWith(path));
    }
}

TEST(HostileInputs, FileTooLargeIsRefusedBeforeReading) {
    QTemporaryDir dir;
    const QString path = dir.filePath("huge.txt");
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("The beginning of a very long text.\n");
    ASSERT_TRUE(f.resize(200LL * 1024 * 1024));  // sparse: 200 MB without writing them
    f.close();
    EXPECT_TRUE(import_error_of(path).contains("larger than"));
}

// Out of memory while importing (a child process whose address space cannot hold the 100 MB
// file twice over): an ImportError naming the file and its size, not a bare std::bad_alloc.
TEST(HostileInputs, RunningOutOfMemoryOnImportIsNamed) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer reserves more address space than any limit leaves";
#else
    QTemporaryDir dir;
    const QString path = dir.filePath("big.txt");
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        const QByteArray line = QByteArray("All work and no play makes Jack a dull boy.\n");
        const QByteArray block = line.repeated(1024 * 1024 / line.size());
        for (int i = 0; i < 100; ++i) ASSERT_EQ(f.write(block), block.size());
    }
    const lltest::ChildOutcome child = lltest::run_in_child([&](int report) {
        // What is mapped now and 64 MB more: the file's bytes (100 MB) cannot be read.
        long pages = 0;
        if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
            if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
            std::fclose(statm);
        }
        const rlim_t room = rlim_t(pages) * rlim_t(::sysconf(_SC_PAGESIZE)) + (64u << 20);
        const rlimit limit{room, room};
        ::setrlimit(RLIMIT_AS, &limit);
        try {
            import_document(path);
        } catch (const ImportError& e) {
            lltest::report(report, e.what());
            return 0;
        } catch (const std::bad_alloc&) {
            return 2;
        }
        return 1;  // imported anyway
    });
    ASSERT_TRUE(child.exited);
    EXPECT_EQ(child.code, 0) << "1: imported; 2: a bare std::bad_alloc";
    const std::string& message = child.message;
    EXPECT_EQ(message, path.toStdString() + ": not enough memory to import its 100.0 MB");
#endif
}

TEST(HostileInputs, LargeTextWithinTheLimitImports) {
    // 24 MB of real text, well above any novel, imports and keeps every character.
    QTemporaryDir dir;
    const QByteArray para =
        "It is a truth universally acknowledged, that a single man in "
        "possession of a good fortune, must be in want of a wife.\n\n";
    QByteArray bytes;
    bytes.reserve(24 * 1024 * 1024);
    int chapter = 0;
    while (bytes.size() < 24 * 1024 * 1024) {
        bytes += "CHAPTER " + QByteArray::number(++chapter) + ".\n\n";
        for (int i = 0; i < 200; ++i) bytes += para;
    }
    const Document doc = import_document(lltest::write_file(dir, "big.txt", bytes));
    EXPECT_EQ(doc.text.size(), bytes.size());
    EXPECT_EQ(doc.count(StructureKind::Chapter), chapter);
}

TEST(HostileInputs, InvalidUtf8AndControlBytes) {
    QTemporaryDir dir;
    // Overlong forms, surrogates encoded in UTF-8 and lone continuation bytes in a text.
    const QByteArray bytes = "Valid start \xC3\xA9t\xC3\xA9.\n\xC0\xAF \xED\xA0\x80 \x80\x80 end " +
                             QByteArray("caf\xC3\xA9 na\xC3\xAFve ").repeated(300);
    const QString path = lltest::write_file(dir, "bad.txt", bytes);
    const Document doc = import_document(path);  // degrades, does not throw
    EXPECT_TRUE(doc.text.startsWith(QStringLiteral("Valid start")));
    EXPECT_FALSE(doc.warnings.isEmpty());
}
