#include "outline.h"

namespace ll {

QString kind_name(StructureKind kind) {
    switch (kind) {
        case StructureKind::Title:
            return QStringLiteral("title");
        case StructureKind::Part:
            return QStringLiteral("part");
        case StructureKind::Subpart:
            return QStringLiteral("subpart");
        case StructureKind::Chapter:
            return QStringLiteral("chapter");
        case StructureKind::Section:
            return QStringLiteral("section");
        case StructureKind::Article:
            return QStringLiteral("article");
        case StructureKind::Amendment:
            return QStringLiteral("amendment");
        case StructureKind::Supplementary:
            return QStringLiteral("supplementary");
        case StructureKind::Abstract:
            return QStringLiteral("abstract");
        case StructureKind::References:
            return QStringLiteral("references");
        case StructureKind::Appendix:
            return QStringLiteral("appendix");
        case StructureKind::FrontMatter:
            return QStringLiteral("front-matter");
        case StructureKind::BackMatter:
            return QStringLiteral("back-matter");
        case StructureKind::Contents:
            return QStringLiteral("contents");
        case StructureKind::ContentsEntry:
            return QStringLiteral("contents-entry");
    }
    return QStringLiteral("unknown");
}

}  // namespace ll
