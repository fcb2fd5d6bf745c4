// The position-scaling methods as the scaling editor presents them, all from the engine's
// own table: names, a one-line explanation of each, the parameters each takes, and
// validation of what the user typed. Qt types only, so the GUI never includes engine headers.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ll {

struct ScalingParameter {
    QString name;
    bool required = false;
    std::optional<double> default_value;
    QString meaning;
};

QStringList scaling_method_names();
// Empty for an unknown method.
QList<ScalingParameter> scaling_parameters(const QString& method);
// One line saying what the method does and when to choose it.
QString scaling_method_explanation(const QString& method);
// METHOD:key=value,... from the non-empty values (keys in the given order).
QString compose_scaling_spec(const QString& method, const QList<QPair<QString, QString>>& values);
// Empty when `spec` parses and validates; otherwise the engine's message.
QString check_scaling_spec(const QString& spec);

}  // namespace ll
