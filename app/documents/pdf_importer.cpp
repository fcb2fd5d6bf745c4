#include "pdf_importer.h"

#include <poppler-qt6.h>

#include <memory>

#include "import_error.h"
#include "pdf_lines.h"
#include "structure_detector.h"

namespace ll {

namespace {

// A PDF whose trailer names an /Encrypt dictionary needs a password (or at least Poppler
// says so); telling the user that beats "cannot open".
bool mentions_encryption(const QByteArray& bytes) {
    return bytes.contains("/Encrypt");
}

std::unique_ptr<Poppler::Document> open_pdf(const QString& path, const QByteArray& bytes) {
    std::unique_ptr<Poppler::Document> pdf = Poppler::Document::loadFromData(bytes);
    if (!pdf) {
        if (mentions_encryption(bytes))
            throw ImportError(path, QStringLiteral("the PDF is encrypted and cannot be opened "
                                                   "without its password"));
        throw ImportError(path, QStringLiteral("not a readable PDF (damaged or truncated)"));
    }
    if (pdf->isLocked())
        throw ImportError(path, QStringLiteral("the PDF is password-protected; a password is "
                                               "needed to open it"));
    if (pdf->numPages() <= 0)
        throw ImportError(path, QStringLiteral("the PDF has no pages (damaged or truncated)"));
    return pdf;
}

PdfPageLines read_page(Poppler::Document& pdf, int index, QString* label) {
    PdfPageLines out;
    std::unique_ptr<Poppler::Page> page(pdf.page(index));
    if (!page) return out;
    *label = page->label();
    out.size = page->pageSizeF();
    const std::vector<std::unique_ptr<Poppler::TextBox>> boxes = page->textList();
    QList<PdfWord> words;
    QList<bool> breaks;
    const Poppler::TextBox* previous = nullptr;
    for (const auto& box : boxes) {
        PdfWord w;
        w.text = box->text();
        w.box = box->boundingBox();
        w.space_after = box->hasSpaceAfter();
        for (qsizetype i = 0; i < w.text.size(); ++i) w.chars.append(box->charBoundingBox(int(i)));
        // Poppler links the words of one line through nextWord().
        breaks.append(!previous || previous->nextWord() != box.get());
        words.append(std::move(w));
        previous = box.get();
    }
    out.lines = group_lines(index, words, breaks);
    order_columns(out.lines, out.size);
    return out;
}

QString page_list(const QList<int>& pages) {
    QStringList s;
    for (int p : pages.mid(0, 10)) s.append(QString::number(p + 1));
    if (pages.size() > 10) s.append(QStringLiteral("…"));
    return s.join(QStringLiteral(", "));
}

}  // namespace

Document PdfImporter::import(const QString& path, const QByteArray& bytes,
                             const ImportOptions& options) const {
    std::unique_ptr<Poppler::Document> pdf = open_pdf(path, bytes);
    Document doc;
    doc.path = path;
    doc.format = DocumentFormat::Pdf;
    doc.encoding = QStringLiteral("PDF");
    doc.page_count = pdf->numPages();

    QList<PdfPageLines> pages;
    QList<int> empty_pages;
    QStringList labels;
    bool labelled = false;  // some page prints a label other than its number
    for (int i = 0; i < doc.page_count; ++i) {
        if (options.cancel && options.cancel->load())
            throw ImportError(path, QStringLiteral("import cancelled"));
        QString label;
        pages.append(read_page(*pdf, i, &label));
        labelled |= !label.isEmpty() && label != QString::number(i + 1);
        labels.append(label);
        if (pages.back().lines.isEmpty()) empty_pages.append(i);
        if (options.on_progress) options.on_progress(i + 1, doc.page_count);
    }
    if (empty_pages.size() == doc.page_count)
        throw ImportError(path, QStringLiteral("the PDF has no text layer (scanned or image-only "
                                               "pages); it needs OCR before it can be read"));
    if (!empty_pages.isEmpty())
        doc.warnings.append(
            QStringLiteral("no text on page(s) %1 (images only?)").arg(page_list(empty_pages)));
    if (labelled) doc.page_labels = labels;
    mark_page_furniture(pages);
    flow_text(pages, &doc.text, &doc.boxes);
    StructureHints hints;
    hints.display_lines = display_lines(doc.text, doc.boxes);
    hints.larger_lines = larger_lines(doc.text, doc.boxes);
    hints.has_layout = true;
    doc.outline = detect_structure(doc.text, hints);
    return doc;
}

}  // namespace ll
