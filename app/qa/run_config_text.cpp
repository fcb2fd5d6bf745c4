// RunConfig's text form (`model=M;scaling=yarn:factor=8;kv=f16`): short enough for a column
// header and a command line, and parsed with the same spec parsers as the CLI's options.
#include <QFileInfo>
#include <QLocale>
#include <QSet>
#include <QStringList>

#include "app_error.h"
#include "bundled.h"
#include "run_config.h"

namespace ll {
namespace {

const QStringList kKeys = {"model",   "scaling", "rope_theta", "attention",
                           "kv",      "context", "window",     "threads"};

bool is_bundled(const QString& path) {
    const QString shipped = bundled::model_dir();
    return path.isEmpty() || (!shipped.isEmpty() && QFileInfo(path) == QFileInfo(shipped));
}

AppError bad_value(const QString& key, const QString& value, const QString& expected) {
    return AppError(key, QStringLiteral("'%1' is not a valid value").arg(value), expected);
}

qlonglong integer(const QString& key, const QString& value) {
    bool ok = false;
    const qlonglong n = value.toLongLong(&ok);
    if (!ok) throw bad_value(key, value, QStringLiteral("expected a whole number"));
    return n;
}

}  // namespace

QString RunConfig::to_text() const {
    QStringList parts;
    if (!is_bundled(model_path)) parts << "model=" + model_path;
    if (scaling) parts << "scaling=" + scaling_text();
    if (rope_theta)
        parts << "rope_theta=" + QString::number(*rope_theta, 'f', QLocale::FloatingPointShortest);
    if (attention) parts << "attention=" + attention_text();
    if (kv != kDefaultKvType) parts << "kv=" + kv_name(kv);
    if (context != ContextMode::Auto) parts << "context=" + mode_name(context);
    if (window != 0) parts << "window=" + QString::number(window);
    if (threads != 0) parts << "threads=" + QString::number(threads);
    return parts.join(';');
}

RunConfig RunConfig::from_text(const QString& text) {
    RunConfig c;
    QSet<QString> seen;
    for (const QString& raw : text.split(';', Qt::SkipEmptyParts)) {
        const QString part = raw.trimmed();
        if (part.isEmpty()) continue;
        const qsizetype eq = part.indexOf('=');
        const QString key = (eq < 0 ? part : part.left(eq)).trimmed();
        const QString value = eq < 0 ? QString() : part.mid(eq + 1).trimmed();
        if (!kKeys.contains(key))
            throw AppError(QStringLiteral("run spec"), QStringLiteral("unknown key '%1'").arg(key),
                           "expected " + kKeys.join(", "));
        if (seen.contains(key))
            throw AppError(key, QStringLiteral("given twice in '%1'").arg(text));
        seen.insert(key);
        if (eq < 0 || value.isEmpty())
            throw AppError(key, QStringLiteral("no value given"), "write " + key + "=VALUE");
        if (key == "model") {
            c.model_path = value;
        } else if (key == "scaling") {
            c.set_scaling(value, key);
        } else if (key == "rope_theta") {
            bool ok = false;
            c.rope_theta = value.toDouble(&ok);
            if (!ok) throw bad_value(key, value, QStringLiteral("expected a number above 1"));
        } else if (key == "attention") {
            c.set_attention(value, key);
        } else if (key == "kv") {
            c.set_kv(value, key);
        } else if (key == "context") {
            try {
                c.context = parse_mode(value);
            } catch (const AppError&) {
                throw bad_value(key, value, QStringLiteral("expected auto, full or retrieve"));
            }
        } else if (key == "window") {
            c.window = integer(key, value);
        } else if (key == "threads") {
            c.threads = static_cast<int>(integer(key, value));
        }
    }
    if (c.model_path.isEmpty()) c.model_path = bundled::model_dir();
    // validate() names the setting in its own words ("rope base"); here the key is the name.
    try {
        c.validate();
    } catch (const AppError& e) {
        const QString key = e.file() == "rope base" ? QStringLiteral("rope_theta") : e.file();
        throw AppError(key, e.problem(), e.hint());
    }
    return c;
}

}  // namespace ll
