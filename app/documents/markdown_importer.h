// Markdown: decoded like plain text, then reduced to the text a reader sees (heading
// marks, emphasis, link targets, HTML comments removed). Headings become structure even
// when no numbering rule knows them.
#pragma once

#include "importer.h"

namespace ll {

class MarkdownImporter : public Importer {
  public:
    DocumentFormat format() const override { return DocumentFormat::Markdown; }
    Document import(const QString& path, const QByteArray& bytes,
                    const ImportOptions& options) const override;
};

// The visible text of Markdown source; `headings` receives line start → depth.
QString markdown_to_text(const QString& source, QHash<qsizetype, int>* headings);

}  // namespace ll
