// The outline panel on unseen documents (issue 20): a contents entry moves the view to the
// heading it names, not to the contents line; a document without headings says so and
// lists its pages by their printed labels (a PDF) or every tenth paragraph (text).
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

#include "outline_panel.h"

using namespace ll;

class OutlinePanelTest : public QObject {
    Q_OBJECT
  private slots:
    void contents_entry_jumps_to_its_heading() {
        Document doc;
        doc.text = QStringLiteral("CONTENTS\n\nCHAPTER I\n\nCHAPTER I\n\nText.\n");
        doc.outline = {{StructureKind::Contents, 0, -1, "CONTENTS", 0, 20, -1},
                       {StructureKind::ContentsEntry, 1, 1, "CHAPTER I", 10, 20, 2},
                       {StructureKind::Chapter, 0, 1, "CHAPTER I", 21, 38, -1}};
        OutlinePanel panel;
        panel.set_document(doc);
        QSignalSpy chosen(&panel, &OutlinePanel::entry_chosen);
        auto* tree = panel.findChild<QTreeWidget*>();
        QTreeWidgetItem* entry = tree->topLevelItem(0)->child(0);
        QCOMPARE(entry->text(0), QStringLiteral("CHAPTER I"));
        emit tree->itemClicked(entry, 0);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).toLongLong(), 21);
    }

    // The outline follows the reading: the heading in force at the top of the view becomes the
    // current entry; one the reader chose stays while it is in view; nothing is emitted.
    void follows_the_view() {
        Document doc;
        doc.text = QString(300, u'x');
        doc.outline = {{StructureKind::Chapter, 0, 1, "One", 0, 100, -1},
                       {StructureKind::Section, 1, 1, "One.1", 40, 100, -1},
                       {StructureKind::Chapter, 0, 2, "Two", 100, 300, -1}};
        OutlinePanel panel;
        panel.set_document(doc);
        QSignalSpy chosen(&panel, &OutlinePanel::entry_chosen);
        panel.follow(50, 90);
        QCOMPARE(panel.current_title(), QStringLiteral("One.1"));
        panel.follow(10, 30);
        QCOMPARE(panel.current_title(), QStringLiteral("One"));
        panel.follow(150, 200);
        QCOMPARE(panel.current_title(), QStringLiteral("Two"));
        auto* tree = panel.findChild<QTreeWidget*>();
        tree->setCurrentItem(tree->topLevelItem(0)->child(0));  // the reader picks One.1 ...
        panel.follow(30, 60);  // ... and the view shows it below One's start
        QCOMPARE(panel.current_title(), QStringLiteral("One.1"));
        QCOMPARE(chosen.count(), 0);
    }

    void pages_offered_without_headings() {
        Document doc;
        doc.format = DocumentFormat::Pdf;
        doc.page_count = 3;
        doc.text = QStringLiteral("ab\ncd\nef");
        for (int i = 0; i < doc.text.size(); ++i) doc.boxes.append({i / 3, 0, 0, 1, 1});
        doc.page_labels = {"i", "1", "2"};
        OutlinePanel panel;
        panel.set_document(doc);
        auto* tree = panel.findChild<QTreeWidget*>();
        QStringList rows;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) rows << tree->topLevelItem(i)->text(0);
        QCOMPARE(rows, QStringList({"No headings found — go by page", "p. i (page 1 of 3)",
                                    "p. 1 (page 2 of 3)", "p. 2 (page 3 of 3)"}));
        QSignalSpy chosen(&panel, &OutlinePanel::entry_chosen);
        emit tree->itemClicked(tree->topLevelItem(3), 0);
        QCOMPARE(chosen.at(0).at(0).toLongLong(), 6);
    }

    void paragraphs_offered_for_text_without_headings() {
        Document doc;
        QStringList paragraphs;
        for (int i = 1; i <= 12; ++i) paragraphs << QStringLiteral("Paragraph %1.").arg(i);
        doc.text = paragraphs.join("\n\n");
        OutlinePanel panel;
        panel.set_document(doc);
        auto* tree = panel.findChild<QTreeWidget*>();
        QStringList rows;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) rows << tree->topLevelItem(i)->text(0);
        QCOMPARE(rows, QStringList({"No headings found — go by paragraph", "¶ 1 · Paragraph 1.",
                                    "¶ 11 · Paragraph 11."}));
    }
};

QTEST_MAIN(OutlinePanelTest)
#include "test_outline_panel.moc"
