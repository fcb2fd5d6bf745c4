#include "option_values.h"

#include <cmath>

#include "app_error.h"

namespace ll::cli {

namespace {

QString option_name(const QCommandLineParser& parser, const QString& name) {
    // The long name the user typed or would type ("-n" is also "--max-tokens").
    Q_UNUSED(parser);
    return (name.size() == 1 ? "-" : "--") + name;
}

}  // namespace

int64_t whole_number(const QCommandLineParser& parser, const QString& name, int64_t lo,
                     int64_t hi) {
    const QString text = parser.value(name).trimmed();
    bool ok = false;
    const qlonglong v = text.toLongLong(&ok);
    if (!ok || v < lo || v > hi)
        throw AppError(option_name(parser, name),
                       QString("expected a whole number from %1 to %2, got '%3'")
                           .arg(lo)
                           .arg(hi)
                           .arg(parser.value(name)));
    return v;
}

double real_number(const QCommandLineParser& parser, const QString& name, double lo, double hi) {
    const QString text = parser.value(name).trimmed();
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < lo || v > hi)
        throw AppError(option_name(parser, name),
                       QString("expected a number from %1 to %2, got '%3'")
                           .arg(lo)
                           .arg(hi)
                           .arg(parser.value(name)));
    return v;
}

}  // namespace ll::cli
