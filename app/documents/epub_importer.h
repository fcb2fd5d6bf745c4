// EPUB (2 and 3): the spine's XHTML documents in order, reduced to text, with the
// navigation document's titles (nav.xhtml or toc.ncx) as chapters when the text's own
// headings give no structure.
#pragma once

#include "importer.h"

namespace ll {

class EpubImporter : public Importer {
  public:
    DocumentFormat format() const override { return DocumentFormat::Epub; }
    Document import(const QString& path, const QByteArray& bytes,
                    const ImportOptions& options) const override;
};

// Visible text of one XHTML document: block elements end lines, scripts and styles go.
QString xhtml_to_text(const QByteArray& xhtml);

}  // namespace ll
