#include "document_import.h"

#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "documents/importer.h"

namespace ll {

QFuture<ImportOutcome> import_async(const QString& path) {
    return QtConcurrent::run([path] {
        ImportOutcome out{path, nullptr, {}};
        try {
            out.document = std::make_shared<const Document>(import_document(path));
        } catch (const std::bad_alloc&) {
            out.error = QObject::tr("%1: not enough memory to import this file").arg(path);
        } catch (const std::exception& e) {
            out.error = QString::fromStdString(e.what());
        }
        return out;
    });
}

QString describe_document(const Document& d) {
    QStringList parts{format_name(d.format).toUpper()};
    if (d.format == DocumentFormat::Markdown) parts[0] = QStringLiteral("Markdown");
    if (d.format == DocumentFormat::PlainText) parts[0] = QObject::tr("Text (%1)").arg(d.encoding);
    if (d.page_count > 0)
        parts << (d.page_count == 1 ? QObject::tr("1 page") : QObject::tr("%1 pages").arg(d.page_count));
    const struct {
        StructureKind kind;
        const char* name;
    } kinds[] = {{StructureKind::Article, "articles"},
                 {StructureKind::Chapter, "chapters"},
                 {StructureKind::Section, "sections"}};
    for (const auto& k : kinds) {
        if (const int n = d.count(k.kind); n > 0) {
            parts << QStringLiteral("%1 %2").arg(n).arg(QObject::tr(k.name));
            break;  // the most specific level says enough
        }
    }
    if (d.page_count == 0) parts << QObject::tr("%L1 characters").arg(d.text.size());
    return parts.join(QStringLiteral(" · "));
}

}  // namespace ll
