// Markdown importer: any bytes give a Document (text, headings, structure) or an
// ImportError naming the file, never a crash or a hang.
#include <QByteArray>

#include <cstdint>

#include "documents/import_error.h"
#include "documents/markdown_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    try {
        ll::Document doc = ll::MarkdownImporter().import("fuzz.md", bytes, {});
        doc.index_lines();
    } catch (const ll::ImportError&) {
    }
    return 0;
}
