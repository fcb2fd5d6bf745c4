#include "citation_chip.h"

namespace ll {
namespace {
constexpr int kQuoteChars = 400;  // enough to recognise a passage in a tooltip
}

CitationChip::CitationChip(int number, const AnswerCitation& citation, QWidget* parent)
    : QPushButton(parent), citation_(citation) {
    setText(QStringLiteral("[%1] %2").arg(number).arg(citation.label));
    QString quote = citation.text.left(kQuoteChars).toHtmlEscaped();
    if (citation.text.size() > kQuoteChars) quote += QStringLiteral("…");
    setToolTip(QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(quote));
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::TabFocus);
    setCheckable(true);
    setMinimumWidth(0);
    setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    setObjectName("citationChip");
    setStyleSheet(
        "QPushButton#citationChip { border: 1px solid palette(mid); border-radius: 10px;"
        " padding: 2px 9px; background: palette(base); }"
        "QPushButton#citationChip:hover { border-color: palette(highlight); }"
        "QPushButton#citationChip:checked { background: palette(highlight);"
        " color: palette(highlighted-text); border-color: palette(highlight); }");
    connect(this, &QPushButton::clicked, this, [this] {
        setChecked(true);
        emit activated(citation_);
    });
}

void CitationChip::set_current(bool current) { setChecked(current); }

}  // namespace ll
