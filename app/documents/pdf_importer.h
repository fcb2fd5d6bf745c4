// PDF through Poppler: the text in reading order, running headers, footers and page
// numbers left out, lines joined into paragraphs (end-of-line hyphens removed, no spaces
// between CJK lines), and a box for every character so any range maps to page rectangles.
#pragma once

#include "importer.h"

namespace ll {

class PdfImporter : public Importer {
  public:
    DocumentFormat format() const override { return DocumentFormat::Pdf; }
    Document import(const QString& path, const QByteArray& bytes,
                    const ImportOptions& options) const override;
};

}  // namespace ll
