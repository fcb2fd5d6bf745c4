#include "scaling_catalog.h"

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
    const std::string line = scaling_method_summary(method.toStdString());
    return line.empty() ? QObject::tr("Position scaling method.") : QString::fromStdString(line);
}

QString compose_scaling_spec(const QString& method, const QList<QPair<QString, QString>>& values) {
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
