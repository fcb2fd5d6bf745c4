#include "scaling_catalog.h"

#include <QHash>
#include <QObject>

#include <exception>

#include "scaling_spec.h"

namespace ll {

QStringList scaling_method_names() {
    QStringList names;
    for (const std::string& m : scaling_methods()) names << QString::fromStdString(m);
    return names;
}

QList<ScalingParameter> scaling_parameters(const QString& method) {
    QList<ScalingParameter> out;
    try {
        for (const ScalingKey& k : scaling_keys(method.toStdString()))
            out.append({QString::fromStdString(k.name), k.required, k.default_value,
                        QString::fromStdString(k.meaning)});
    } catch (const std::exception&) {
        // An unknown method has no parameters; the editor only offers known ones.
    }
    return out;
}

QString scaling_method_explanation(const QString& method) {
    // Written for a reader choosing a method, not for the formula (scaling-methods.md has it).
    static const QHash<QString, QString> lines = {
        {"none", QObject::tr("Positions as trained: reliable up to the trained window only.")},
        {"linear", QObject::tr("Position interpolation: squeezes positions by the factor; best "
                               "on models fine-tuned for it.")},
        {"ntk", QObject::tr("NTK-aware: raises the rope base so long-range rotations slow down "
                            "while short-range detail stays; works without fine-tuning.")},
        {"dynamic", QObject::tr("Dynamic NTK: the base grows only once the text exceeds the "
                                "trained window, so short prompts are unchanged.")},
        {"xverse", QObject::tr("XVERSE's dynamic base growth, tied to the trained window.")},
        {"yarn", QObject::tr("YaRN: interpolates low frequencies, keeps high ones, and sharpens "
                             "attention; the usual choice for long contexts.")},
        {"llama3", QObject::tr("Llama 3.1 scaling: divides only the low frequencies, smooth ramp "
                               "in between.")},
        {"longrope", QObject::tr("LongRoPE (Phi-3): per-dimension factors from the model file.")},
        {"alibi", QObject::tr("ALiBi: linear distance penalties instead of rotations.")},
        {"dynamic_alibi", QObject::tr("ALiBi with slopes rescaled for contexts longer than "
                                      "training.")},
    };
    return lines.value(method, QObject::tr("Position scaling method."));
}

QString compose_scaling_spec(const QString& method,
                             const QList<QPair<QString, QString>>& values) {
    QStringList parts;
    for (const auto& [key, value] : values) {
        if (!value.trimmed().isEmpty()) parts << key + "=" + value.trimmed();
    }
    return parts.isEmpty() ? method : method + ":" + parts.join(',');
}

QString check_scaling_spec(const QString& spec) {
    try {
        parse_scaling_spec(spec.toStdString(), "scaling");
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

}  // namespace ll
