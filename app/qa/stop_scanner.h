// Streams generated text while watching for stop strings: text is passed on only once it
// can no longer turn out to be the start of a stop string, so a viewer never shows "</s" or
// "\nQuestion" before the answer is cut there. Leading whitespace is dropped, so a model that
// starts its answer with a blank line is not stopped by a "\n\n" stop.
#pragma once

#include <QString>
#include <QStringList>

namespace ll {

class StopScanner {
  public:
    explicit StopScanner(QStringList stops);

    // Adds generated text; returns the part that became final.
    QString push(const QString& piece);
    // Generation ended without a stop: everything held back is final.
    QString finish();

    bool stopped() const { return stopped_; }
    // The final text so far (everything, after finish() or a stop).
    QString text() const { return all_.left(emitted_); }

  private:
    // Length of the longest suffix of all_ that starts some stop string.
    qsizetype held_back() const;

    QStringList stops_;
    QString all_;
    qsizetype emitted_ = 0;
    bool stopped_ = false;
};

}  // namespace ll
