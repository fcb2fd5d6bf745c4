// A word-level diff of two answers, for the Compare view and the exports: the longest
// common subsequence of their words. Words are runs of characters between spaces, except
// that each CJK character is a word of its own (Chinese and Japanese put no spaces between
// words, so a whole sentence would otherwise be one "word").
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace ll {

struct DiffPiece {
    enum class Kind { Same, Removed, Added };  // Removed: only in the first answer
    Kind kind = Kind::Same;
    QString text;  // consecutive words of one kind, joined as they would be written
};

QStringList answer_words(const QString& text);

// Pieces in reading order; consecutive words of the same kind are merged into one piece.
std::vector<DiffPiece> diff_answers(const QString& first, const QString& second);

// "same text [-removed-] {+added+}": the diff as one line of text.
QString diff_text(const std::vector<DiffPiece>& pieces);

}  // namespace ll
