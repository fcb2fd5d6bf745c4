// PDF importer through Poppler: any PDF gives a Document that keeps its promises (a box per
// character on a page that exists, outline ranges inside the text) or an ImportError naming
// the file; never a crash or a hang. Poppler is not instrumented, so mutated PDF bytes
// would mostly explore its parser; most inputs are instead read as text placed on pages
// (records of x, y, type size, flags, length and Latin-1 text) that the harness writes as a
// PDF (tests/app/pdf_fixtures.h), so the fuzzer steers our layout code: columns, running
// headers and footers, headings by size, hyphens, letter spacing, footnotes, page labels.
// An input that starts with "%PDF" is imported as it is (seeds: pages of ../shared's PDFs).
#include <QByteArray>

#include <algorithm>
#include <cstdint>

#include "document_checks.h"
#include "documents/import_error.h"
#include "documents/pdf_importer.h"
#include "pdf_fixtures.h"

namespace {

constexpr int kMaxPages = 40;
constexpr double kSpacing[] = {0, 0.5, 2, 6};

// Records of 5 bytes + text: x, y, size, flags (bit 0 bold, bit 1 a new page first, bits 2-3
// letter spacing, bit 4 on the first record: printed page labels), text length.
QByteArray pdf_of(const uint8_t* data, size_t size) {
    QList<lltest::PdfPage> pages(1);
    bool labels = false;
    for (size_t at = 0; at + 5 <= size;) {
        const uint8_t* r = data + at;
        const size_t len = std::min<size_t>(r[4], size - at - 5);
        if (at == 0) labels = r[3] & 16;
        if ((r[3] & 2) && !pages.last().isEmpty() && pages.size() < kMaxPages)
            pages.append(lltest::PdfPage());
        pages.last().append(
            lltest::PdfText{r[0] * 2.4, r[1] * 3.1,
                            QByteArray(reinterpret_cast<const char*>(r + 5), qsizetype(len)),
                            4.0 + r[2] % 40, bool(r[3] & 1), kSpacing[(r[3] >> 2) & 3]});
        at += 5 + len;
    }
    return lltest::make_pdf(pages, false, labels ? "0 << /S /r >> 2 << /S /D >>" : QByteArray());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const QByteArray pdf = input.startsWith("%PDF") ? input : pdf_of(data, size);
    try {
        ll::Document doc = ll::PdfImporter().import("fuzz.pdf", pdf, {});
        lltest::check_document(doc);
    } catch (const ll::ImportError&) {
    }
    return 0;
}
