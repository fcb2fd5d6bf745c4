#include "attention_catalog.h"

#include <exception>

#include "attention_variant.h"

namespace ll {

QList<AttentionKind> attention_kinds() {
    const auto text = [](const std::string& s) { return QString::fromStdString(s); };
    QList<AttentionKind> kinds;
    for (const AttentionVariant::Description& d : AttentionVariant::describe_all()) {
        AttentionKind kind{text(d.name), text(d.label), text(d.explanation), {}};
        for (const AttentionVariant::Param& p : d.params)
            kind.sizes.append({text(p.key), text(p.label), text(p.meaning), p.initial, p.step});
        kinds.append(kind);
    }
    return kinds;
}

QString check_attention_spec(const QString& spec) {
    try {
        AttentionVariant::parse(spec.toStdString(), "attention");
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

}  // namespace ll
