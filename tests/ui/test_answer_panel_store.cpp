// The answer panel renders the library's conversation and reports what it cannot store: an
// answer whose write fails stays on screen, its card says it was not saved and the panel
// signals it (no "Answer ready." over nothing stored). "Copy with citations" puts the answer
// with its sources on the clipboard. Real SQLite files; no model needed.
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "answer_card.h"
#include "answer_panel.h"
#include "library_panel.h"
#include "library_store.h"
#include "main_window.h"
#include "notice_banner.h"
#include "question_answerer.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

AnswerRecord answered(const QString& question) {
    AnswerRecord a;
    a.question = question;
    a.answer = "73518.";
    a.complete = true;
    a.run_config = {{"model", "/models/tiny-model"}};
    a.citations << CitedPassage{5, 40, -1, "Chapter 2", "The code for the cellar is 73518.", 1.5};
    return a;
}

QStringList label_texts(QWidget* w) {
    QStringList out;
    for (QLabel* l : w->findChildren<QLabel*>()) out << l->text();
    return out;
}

}  // namespace

class AnswerPanelStoreTest : public QObject {
    Q_OBJECT
  private slots:
    void shows_the_stored_conversation_and_copies_with_citations() {
        QTemporaryDir dir;
        LibraryStore store(dir.filePath("library.sqlite"));
        const qint64 id =
            store.note_opened("00ff00ff00ff", "/docs/notebook.md", "notebook.md", "markdown", {});
        AnswerRecord a = answered("What is the code?");
        QVERIFY(store.add_answer(id, a));

        AnswerPanel panel(&store);
        panel.set_document(id);
        QCOMPARE(panel.card_count(), 1);
        const QString labels = label_texts(panel.last_card()).join("\n");
        QVERIFY2(labels.contains("tiny-model"), qPrintable(labels));  // which model said it

        emit panel.last_card()->copy_requested(false);
        const QString copied = QApplication::clipboard()->text();
        QVERIFY2(copied.contains("## What is the code?"), qPrintable(copied));
        QVERIFY2(copied.contains("> The code for the cellar is 73518."), qPrintable(copied));
        QVERIFY2(copied.contains("notebook.md, Chapter 2"), qPrintable(copied));
    }

    // The library panel shows the store's list and asks for removals; it keeps nothing.
    void the_library_panel_renders_the_store() {
        QTemporaryDir dir;
        LibraryStore store(dir.filePath("library.sqlite"));
        const qint64 older = store.note_opened("11111111", "/docs/a.md", "a.md", "markdown", {});
        store.note_opened("22222222", "/docs/b.pdf", "b.pdf", "pdf", "PDF");
        LibraryPanel panel;
        panel.show_documents(store.documents());
        QCOMPARE(panel.paths(), (QStringList{"/docs/b.pdf", "/docs/a.md"}));
        QSignalSpy removed(&panel, &LibraryPanel::remove_requested);
        panel.setCurrentRow(1);
        QTest::keyClick(&panel, Qt::Key_Delete);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().first().toLongLong(), older);
        QCOMPARE(panel.count(), 2);  // until the store says otherwise
        QVERIFY(store.remove(older));
        panel.show_documents(store.documents());
        QCOMPARE(panel.paths(), QStringList{"/docs/b.pdf"});
    }

    // A damaged library: the window starts with a fresh one and says where the old one went.
    void a_damaged_library_is_reported_in_the_window() {
        lltest::isolate_settings();
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        QFile garbage(dir + "/library.sqlite");
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(8192, '\x07'));
        garbage.close();
        MainWindow w;
        w.show();
        const QString message = w.notice()->message();
        QVERIFY2(message.contains("could not be read") && message.contains("damaged-"),
                 qPrintable(message));
        QCOMPARE(QDir(dir).entryList({"library.sqlite.damaged-*"}).size(), 1);
        QVERIFY(w.library_store()->is_open());
    }

    void a_failed_save_is_shown_and_reported() {
        QTemporaryDir dir;
        const QString file = dir.filePath("library.sqlite");
        qint64 id = 0;
        {
            LibraryStore store(file);
            id = store.note_opened("00ff00ff00ff", "/docs/notebook.md", "notebook.md", "markdown",
                                   {});
        }
        // A library from a newer LongLens: opened for nothing, every write refused.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "newer");
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery(db).exec("PRAGMA user_version = 99");
            db.close();
        }
        QSqlDatabase::removeDatabase("newer");
        LibraryStore store(file);
        QVERIFY(!store.is_open());

        AnswerPanel panel(&store);
        QSignalSpy failed(&panel, &AnswerPanel::save_failed);
        panel.set_document(id);
        panel.begin_answer("Is it kept?", {{"model", "tiny"}});
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(file));
        QVERIFY(!panel.saved());
        const QString labels = label_texts(panel.last_card()).join("\n");
        QVERIFY2(labels.contains("Not saved"), qPrintable(labels));
        QCOMPARE(panel.card_count(), 1);  // the question stays on screen
    }
};

QTEST_MAIN(AnswerPanelStoreTest)
#include "test_answer_panel_store.moc"
