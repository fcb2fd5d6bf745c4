// What the Attention view and the document's attention strip show for one answer: charts,
// the strip and the tokens × passages map for any captured layer and head, all computed
// from the answer's kept profiles, so choosing another layer or head never runs the model
// again. Qt-typed values only: the GUI includes this, never app/qa or the engine.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "diagnostics/chart.h"

namespace ll {

struct Answer;
class Document;

// The minimap beside the document: one cell per bin of characters, or per page for PDFs.
struct AttentionStrip {
    QList<qsizetype> starts;  // cell i covers [starts[i], starts[i + 1]) (the last: to the end)
    QList<double> values;     // 0..1, the hottest cell 1
    QList<qsizetype> cited;   // where the answer's citations start
    qsizetype document_chars = 0;
    bool pages = false;
    bool empty() const { return values.isEmpty(); }
};

// The answer's tokens (rows) against the passages they looked at most (columns).
struct TokenMap {
    QString title;
    QStringList rows;         // each token's text
    QStringList columns;      // short passage labels ("p. 193", "«The cellar…»")
    QStringList column_tips;  // the passages' opening words
    QList<qsizetype> column_starts;
    QList<double> values;  // rows × columns, row-major: share of the token's attention
    double max = 0;        // the largest value, for the colour scale
    int row_count() const { return static_cast<int>(rows.size()); }
    int column_count() const { return static_cast<int>(columns.size()); }
};

class AttentionReport {
  public:
    // `conversation`: the mean depth curve of this document's answers so far (this one
    // included), and how many there were.
    AttentionReport(const Document& doc, const Answer& answer, const QString& question,
                    const std::vector<double>& conversation, int answers);
    ~AttentionReport();

    QString question() const;
    // The captured layers (model layer numbers) and the query heads per layer; 0 heads:
    // only the average over all is kept.
    QList<int> layers() const;
    int heads() const;

    // `layer`: index into layers(), `head`: query head; -1: all.
    Chart along(int layer, int head) const;
    Chart by_depth(int layer, int head) const;
    AttentionStrip strip(int layer, int head) const;
    TokenMap tokens() const;
    QString summary(int layer, int head) const;
    // The document offset a point on along()'s x axis stands for (a page's first character
    // for PDFs).
    qsizetype offset_at(double x) const;
    // The numbers behind the selection, as longlens-cli diagnose attention --json prints them.
    QByteArray json(int layer, int head) const;

  private:
    struct Data;
    std::unique_ptr<Data> d_;
};

}  // namespace ll
