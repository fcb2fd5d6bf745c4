#include "run_config.h"

#include <QJsonValue>

#include <cmath>

#include "app_error.h"
#include "error.h"

namespace ll {
namespace {

QString text(const std::string& s) {
    return QString::fromStdString(s);
}

// Runs `parse`, turning the engine's error into the app's.
template <typename Fn>
auto adopt(Fn&& parse) {
    try {
        return parse();
    } catch (const EngineError& e) {
        throw AppError::from_engine(e);
    }
}

QString string_of(const QJsonObject& json, const char* key) {
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isString())
        throw AppError(QStringLiteral("run configuration"),
                       QStringLiteral("'%1' must be a string").arg(key));
    return v.toString();
}

// A whole number in [lo, hi]; a fraction, NaN or a value out of range (a hand-edited or
// damaged record) is refused before it is narrowed.
int64_t whole_of(const QJsonObject& json, const char* key, int64_t lo, int64_t hi) {
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull()) return 0;
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || !(d >= double(lo) && d <= double(hi)) || d != std::floor(d))
        throw AppError(
            QStringLiteral("run configuration"),
            QStringLiteral("'%1' must be a whole number from %2 to %3").arg(key).arg(lo).arg(hi));
    return static_cast<int64_t>(d);
}

double number_of(const QJsonObject& json, const char* key, double fallback) {
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull()) return fallback;
    if (!v.isDouble())
        throw AppError(QStringLiteral("run configuration"),
                       QStringLiteral("'%1' must be a number").arg(key));
    return v.toDouble();
}

}  // namespace

QString kv_name(KvType type) {
    const std::string_view name = kv_type_name(type);
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

QString RunConfig::scaling_text() const {
    return scaling ? text(format_scaling_spec(*scaling)) : QString();
}

QString RunConfig::attention_text() const {
    return attention ? text(attention->to_string()) : QString();
}

void RunConfig::set_scaling(const QString& spec, const QString& where) {
    const QString trimmed = spec.trimmed();
    scaling = trimmed.isEmpty() ? std::nullopt : std::optional(adopt([&] {
        return parse_scaling_spec(trimmed.toStdString(), where.toStdString());
    }));
}

void RunConfig::set_attention(const QString& spec, const QString& where) {
    const QString trimmed = spec.trimmed();
    attention = trimmed.isEmpty() ? std::nullopt : std::optional(adopt([&] {
        return AttentionVariant::parse(trimmed.toStdString(), where.toStdString());
    }));
}

void RunConfig::set_kv(const QString& name, const QString& where) {
    kv = adopt([&] { return parse_kv_type(name.trimmed().toStdString(), where.toStdString()); });
}

void RunConfig::validate() const {
    if (window != 0 && window < kMinimumWindow)
        throw AppError(QStringLiteral("window"),
                       QStringLiteral("expected a number of tokens >= %1, got %2")
                           .arg(kMinimumWindow)
                           .arg(window));
    if (window > kLargestWindow)
        throw AppError(
            QStringLiteral("window"),
            QStringLiteral("expected at most %1 tokens, got %2").arg(kLargestWindow).arg(window));
    if (threads < 0 || threads > kMostThreads)
        throw AppError(QStringLiteral("threads"),
                       QStringLiteral("expected 0 (one per core) to %1, got %2")
                           .arg(kMostThreads)
                           .arg(threads));
    if (rope_theta && !(std::isfinite(*rope_theta) && *rope_theta > 1.0))
        throw AppError(QStringLiteral("rope base"),
                       QStringLiteral("expected a number above 1, got %1").arg(*rope_theta));
}

QJsonObject RunConfig::to_json() const {
    const auto or_null = [](const QString& s) {
        return s.isEmpty() ? QJsonValue() : QJsonValue(s);
    };
    return QJsonObject{
        {"model", model_path},
        {"scaling", or_null(scaling_text())},
        {"rope_theta", rope_theta ? QJsonValue(*rope_theta) : QJsonValue()},
        {"attention", or_null(attention_text())},
        {"kv", kv_name(kv)},
        {"context", mode_name(context)},
        {"window", static_cast<double>(window)},
        {"threads", threads},
    };
}

RunConfig RunConfig::from_json(const QJsonObject& json) {
    RunConfig c;
    c.model_path = string_of(json, "model");
    c.set_scaling(string_of(json, "scaling"), "scaling");
    if (const double theta = number_of(json, "rope_theta", 0); theta != 0) c.rope_theta = theta;
    c.set_attention(string_of(json, "attention"), "attention");
    if (const QString kv = string_of(json, "kv"); !kv.isEmpty()) c.set_kv(kv, "kv");
    if (const QString mode = string_of(json, "context"); !mode.isEmpty())
        c.context = parse_mode(mode);
    c.window = whole_of(json, "window", 0, kLargestWindow);
    c.threads = static_cast<int>(whole_of(json, "threads", 0, kMostThreads));
    c.validate();
    return c;
}

}  // namespace ll
