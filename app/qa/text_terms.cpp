#include "text_terms.h"

#include <algorithm>
#include <utility>

namespace ll {

bool is_cjk(char32_t c) {
    return (c >= 0x3040 && c <= 0x30FF) ||  // hiragana, katakana
           (c >= 0x3400 && c <= 0x4DBF) ||  // CJK extension A
           (c >= 0x4E00 && c <= 0x9FFF) ||  // CJK unified ideographs
           (c >= 0xAC00 && c <= 0xD7AF) ||  // Hangul syllables
           (c >= 0xF900 && c <= 0xFAFF) ||  // compatibility ideographs
           (c >= 0x20000 && c <= 0x3134F);  // extensions B-G
}

namespace {

// Appends the bigrams of a CJK run (or the run itself when it is one character).
void add_cjk_run(const QList<char32_t>& run, QStringList& out) {
    if (run.size() == 1) {
        out.append(QString::fromUcs4(run.data(), 1));
        return;
    }
    for (qsizetype i = 0; i + 1 < run.size(); ++i) out.append(QString::fromUcs4(&run[i], 2));
}

}  // namespace

QStringList terms_of(QStringView text) {
    QStringList out;
    QString word;
    QList<char32_t> cjk;
    auto flush = [&] {
        if (!word.isEmpty()) out.append(std::exchange(word, {}));
        if (!cjk.isEmpty()) add_cjk_run(std::exchange(cjk, {}), out);
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        if (is_cjk(c)) {
            if (!word.isEmpty()) out.append(std::exchange(word, {}));
            cjk.append(c);
        } else if (QChar::isLetterOrNumber(c)) {
            if (!cjk.isEmpty()) add_cjk_run(std::exchange(cjk, {}), out);
            word += QString::fromUcs4(&c, 1).toLower();
        } else {
            flush();
        }
    }
    flush();
    return out;
}

std::vector<std::pair<QString, double>> query_terms(QStringView text) {
    std::vector<std::pair<QString, double>> out;
    auto add = [&](const QString& term, double weight) {
        for (auto& [t, w] : out)
            if (t == term) {
                w = std::max(w, weight);
                return;
            }
        out.emplace_back(term, weight);
    };
    QString word;
    QList<char32_t> cjk;
    auto flush = [&] {
        if (!word.isEmpty()) add(std::exchange(word, {}), 1.0);
        if (cjk.isEmpty()) return;
        const QList<char32_t> run = std::exchange(cjk, {});
        const qsizetype n = run.size();
        if (n == 1) {
            add(QString::fromUcs4(run.data(), 1), 0.5);
            return;
        }
        const double weight = (double(n) / 2.0) / double(n - 1);
        for (qsizetype i = 0; i + 1 < n; ++i) add(QString::fromUcs4(&run[i], 2), weight);
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        if (is_cjk(c)) {
            if (!word.isEmpty()) add(std::exchange(word, {}), 1.0);
            cjk.append(c);
        } else if (QChar::isLetterOrNumber(c)) {
            if (!cjk.isEmpty()) {
                QString keep = std::exchange(word, {});
                flush();
                word = keep;
            }
            word += QString::fromUcs4(&c, 1).toLower();
        } else {
            flush();
        }
    }
    flush();
    return out;
}

}  // namespace ll
