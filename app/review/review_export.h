// A review written out: JSON (what `review --json` prints), Markdown and HTML (each part's
// sentences with numbered citation marks; under each part its sources with a page anchor
// "p. N" — in HTML a link to the PDF's page, paper.pdf#page=N — and the quoted span). The
// HTML is well-formed XHTML (parsed as XML by the tests). A comparison shows each aspect for
// both papers, each cited in its own paper.
#pragma once

#include <QJsonObject>
#include <QString>

#include "review.h"

namespace ll {

QJsonObject to_json(const Review& review);
QString review_markdown(const Review& review);
QString review_html(const Review& review);

// The chip's label without its page ("¶ 3 of § 2 · p. 5" → "¶ 3 of § 2"), where a page
// anchor stands beside it.
QString without_page(QString label);

// Writes `text` to `path` as UTF-8; throws AppError naming the file when it cannot.
void write_text_file(const QString& path, const QString& text);

// The export format a file name asks for: "md", "html" or "pdf"; throws AppError naming
// the file for anything else.
QString export_format(const QString& path);

}  // namespace ll
