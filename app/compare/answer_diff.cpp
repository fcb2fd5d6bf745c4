#include "answer_diff.h"

#include <QChar>

#include <algorithm>

namespace ll {
namespace {

bool is_cjk(char32_t c) {
    const QChar::Script s = QChar::script(c);
    return s == QChar::Script_Han || s == QChar::Script_Hiragana || s == QChar::Script_Katakana;
}

bool is_cjk_word(const QString& w) {
    const auto ucs = w.toUcs4();
    return ucs.size() == 1 && is_cjk(ucs[0]);
}

// CJK words are written together; others with a space between them.
void append_word(QString& text, const QString& word) {
    if (!text.isEmpty() && !(is_cjk_word(word) || is_cjk(text.toUcs4().back())))
        text += QLatin1Char(' ');
    text += word;
}

}  // namespace

QStringList answer_words(const QString& text) {
    QStringList words;
    QString word;
    const auto flush = [&] {
        if (!word.isEmpty()) words << word;
        word.clear();
    };
    for (char32_t c : text.toUcs4()) {
        if (QChar::isSpace(c)) {
            flush();
        } else if (is_cjk(c)) {
            flush();
            words << QString::fromUcs4(&c, 1);
        } else {
            word += QString::fromUcs4(&c, 1);
        }
    }
    flush();
    return words;
}

std::vector<DiffPiece> diff_answers(const QString& first, const QString& second) {
    const QStringList a = answer_words(first), b = answer_words(second);
    const size_t n = a.size(), m = b.size();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1
                                     : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::vector<DiffPiece> pieces;
    const auto add = [&](DiffPiece::Kind kind, const QString& word) {
        if (pieces.empty() || pieces.back().kind != kind) pieces.push_back({kind, {}});
        append_word(pieces.back().text, word);
    };
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            add(DiffPiece::Kind::Same, a[i]);
            ++i, ++j;
        } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
            add(DiffPiece::Kind::Removed, a[i++]);
        } else {
            add(DiffPiece::Kind::Added, b[j++]);
        }
    }
    return pieces;
}

QString diff_text(const std::vector<DiffPiece>& pieces) {
    QStringList parts;
    for (const DiffPiece& p : pieces) {
        switch (p.kind) {
            case DiffPiece::Kind::Same: parts << p.text; break;
            case DiffPiece::Kind::Removed: parts << "[-" + p.text + "-]"; break;
            case DiffPiece::Kind::Added: parts << "{+" + p.text + "+}"; break;
        }
    }
    return parts.join(' ');
}

}  // namespace ll
