// A review written out: JSON (what `review --json` prints), Markdown and HTML (each part's
// sentences with numbered citation marks; under each part its sources with a page anchor
// "p. N" — in HTML a link to the PDF's page, paper.pdf#page=N — and the quoted span). The
// HTML is well-formed XHTML (parsed as XML by the tests). A comparison shows each aspect for
// both papers, each cited in its own paper.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

#include "review.h"

namespace ll {

QJsonObject to_json(const Review& review);
// The review to_json() wrote (as the library keeps it); parts of an unknown side and
// sentence ranges outside their text are dropped.
Review review_from_json(const QJsonObject& json);
QString review_markdown(const Review& review);
QString review_html(const Review& review);

// The chip's label without its page ("¶ 3 of § 2 · p. 5" → "¶ 3 of § 2"), where a page
// anchor stands beside it.
QString without_page(QString label);

// Writes `text` to `path` as UTF-8; throws AppError naming the file when it cannot.
void write_text_file(const QString& path, const QString& text);

// Writes the review to `file` by its suffix (.md, .html, .pdf); a comparison's PDF export
// writes one annotated copy per paper (NAME-A.pdf, NAME-B.pdf). Returns each file written
// with its highlight count (0 for text). Throws AppError naming the file.
QList<std::pair<QString, int>> export_review(const Review& review, const QString& file);

// The export format a file name asks for: "md", "html" or "pdf"; throws AppError naming
// the file for anything else.
QString export_format(const QString& path);

}  // namespace ll
