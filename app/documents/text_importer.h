// Plain text in any encoding text_decoding.h can detect.
#pragma once

#include "importer.h"
#include "text_decoding.h"

namespace ll {

class TextImporter : public Importer {
  public:
    DocumentFormat format() const override { return DocumentFormat::PlainText; }
    Document import(const QString& path, const QByteArray& bytes,
                    const ImportOptions& options) const override;
};

// Shared with the Markdown importer: detect or apply the encoding, refuse binary data and
// record decoding problems as warnings. Throws ImportError.
DecodedText decode_file_text(const QString& path, const QByteArray& bytes,
                             const ImportOptions& options);

}  // namespace ll
