// RunConfig's text form (`model=M;scaling=yarn:factor=8;kv=f16`): short enough for a column
// header and a command line, and parsed with the same spec parsers as the CLI's options.
#include <QFileInfo>
#include <QLocale>
#include <QSet>
#include <QStringList>

#include <vector>

#include "app_error.h"
#include "bundled.h"
#include "run_config.h"

namespace ll {
namespace {

const QStringList kKeys = {"model", "scaling", "rope_theta", "attention",
                           "kv",    "context", "window",     "threads"};

bool is_bundled(const QString& path) {
    const QString shipped = bundled::model_dir();
    return path.isEmpty() || (!shipped.isEmpty() && QFileInfo(path) == QFileInfo(shipped));
}

AppError bad_value(const QString& key, const QString& value, const QString& expected) {
    return AppError(key, QStringLiteral("'%1' is not a valid value").arg(value), expected);
}

qlonglong integer(const QString& key, const QString& value, qlonglong lo, qlonglong hi) {
    bool ok = false;
    const qlonglong n = value.toLongLong(&ok);
    if (!ok || n < lo || n > hi)
        throw bad_value(key, value,
                        QStringLiteral("expected a whole number from %1 to %2").arg(lo).arg(hi));
    return n;
}

// A value that would not read back as itself written plainly (a ';' ends the pair, spaces
// around it are trimmed, a leading quote opens a quoted value: a model path may hold any of
// them) is written in double quotes, with '"' and '\\' escaped by a backslash.
QString quoted_if_needed(const QString& value) {
    if (!value.contains(';') && !value.startsWith('"') && value == value.trimmed()) return value;
    QString out = QStringLiteral("\"");
    for (const QChar ch : value) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + '"';
}

struct Pair {
    QString key;
    QString value;
    bool has_value = false;  // an '=' was there
};

// The `key=value` pairs of the text form, split at ';' outside double quotes; a quoted value
// is taken as written, unescaped. Empty pairs (";;", a trailing ';') are skipped.
std::vector<Pair> pairs_of(const QString& text) {
    std::vector<Pair> pairs;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const qsizetype end_key = [&] {
            qsizetype j = i;
            while (j < n && text[j] != '=' && text[j] != ';') ++j;
            return j;
        }();
        Pair p{text.mid(i, end_key - i).trimmed(), {}, end_key < n && text[end_key] == '='};
        i = end_key + 1;
        if (p.has_value) {
            while (i < n && text[i].isSpace()) ++i;
            if (i < n && text[i] == '"') {
                for (++i; i < n && text[i] != '"'; ++i) {
                    if (text[i] == '\\' && i + 1 < n) ++i;
                    p.value += text[i];
                }
                if (i >= n)
                    throw AppError(p.key, QStringLiteral("the quoted value has no closing quote"));
                for (++i; i < n && text[i] != ';'; ++i)
                    if (!text[i].isSpace())
                        throw AppError(p.key, QStringLiteral("text after the closing quote"));
                ++i;
            } else {
                const qsizetype end = text.indexOf(';', i);
                const qsizetype stop = end < 0 ? n : end;
                p.value = text.mid(i, stop - i).trimmed();
                i = stop + 1;
            }
        }
        if (!p.key.isEmpty() || p.has_value) pairs.push_back(p);
    }
    return pairs;
}

}  // namespace

QString RunConfig::to_text() const {
    QStringList parts;
    if (!is_bundled(model_path)) parts << "model=" + quoted_if_needed(model_path);
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
    for (const auto& [key, value, has_value] : pairs_of(text)) {
        if (!kKeys.contains(key))
            throw AppError(QStringLiteral("run spec"), QStringLiteral("unknown key '%1'").arg(key),
                           "expected " + kKeys.join(", "));
        if (seen.contains(key))
            throw AppError(key, QStringLiteral("given twice in '%1'").arg(text));
        seen.insert(key);
        if (!has_value || value.isEmpty())
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
            c.window = integer(key, value, 0, kLargestWindow);
        } else if (key == "threads") {
            c.threads = static_cast<int>(integer(key, value, 0, kMostThreads));
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
