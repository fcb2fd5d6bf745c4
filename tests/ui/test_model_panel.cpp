// The model panel: what a loaded model reports, the effective configuration, the scaling
// editor (only the chosen method's parameters, validation, warnings), the context mode and
// the KV cache type.
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "answer_card.h"
#include "answer_panel.h"
#include "app_error.h"
#include "attention_editor.h"
#include "bundled.h"
#include "kv_type_picker.h"
#include "main_window.h"
#include "model_panel.h"
#include "model_service.h"
#include "scaling_editor.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

QString panel_text(QWidget* panel) {
    QStringList all;
    for (QLabel* label : panel->findChildren<QLabel*>())
        if (label->isVisibleTo(panel)) all << label->text();
    return all.join('\n');
}

// Bytes per token of the keys and values of all layers, from the model's sizes.
double kv_bytes(const ModelSummary& s, const QString& type) {
    const double values = 2.0 * s.layers * s.kv_heads * s.head_dim;
    if (type == "q8_0") return values / 32 * 34;  // 32 int8 and an fp16 scale per block
    return values * (type == "f32" ? 4 : 2);
}

// Picks `type` in the panel's KV cache drop-down, as the reader would.
void pick_kv_type(ModelPanel* panel, const QString& type) {
    auto* types = panel->findChild<QComboBox*>("kv_type");
    types->setCurrentIndex(types->findData(type));
}

}  // namespace

class ModelPanelTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { lltest::isolate_settings(); }

    void shows_what_info_reports() {
        MainWindow w;
        w.show();
        w.load_model(lltest::kRefMini);
        QTRY_VERIFY_WITH_TIMEOUT(w.model_service()->has_model(), 60000);
        const QString text = panel_text(w.model_panel());
        QVERIFY2(text.contains("llama"), qPrintable(text));
        QVERIFY(text.contains("4 layers"));
        QVERIFY(text.contains("256 tokens"));  // trained window
        QVERIFY(text.contains("sentencepiece, 32000 tokens"));
        QVERIFY(text.contains("KV per token"));
        QVERIFY2(text.contains("none (model file)"), qPrintable(text));  // effective method and its source
    }

    // A Phi-3 file: the panel says what differs from Llama and which LongRoPE list is in force.
    void shows_architecture_notes_and_longrope_factors() {
        MainWindow w;
        w.show();
        w.load_model(LONGLENS_ARCH_DATA "/phi3/phi3.gguf");
        QTRY_VERIFY_WITH_TIMEOUT(w.model_service()->has_model(), 60000);
        const QString text = panel_text(w.model_panel()).remove(QChar(0x200B));  // (line-break hints)
        QVERIFY2(text.contains("phi3"), qPrintable(text));
        QVERIFY2(text.contains("fused qkv and gate_up projections"), qPrintable(text));
        QVERIFY2(text.contains("sliding window of 48 tokens"), qPrintable(text));
        // described at its effective window (256 > the original 64): the long factors
        QVERIFY2(text.contains("long: 1, 1.1, 1.4, 2, 3, 4.5, 6, 8"), qPrintable(text));
        QVERIFY2(text.contains("longrope (model file)"), qPrintable(text));
    }

    void editor_offers_only_the_methods_parameters() {
        ScalingEditor editor;
        editor.set_spec("ntk:alpha=2");
        QCOMPARE(editor.findChildren<QLineEdit*>().size(), 2);  // alpha, theta
        editor.set_spec("yarn:factor=4");
        QVERIFY(editor.findChildren<QLineEdit*>().size() >= 8);
        QCOMPARE(editor.spec(), QString("yarn:factor=4"));
        QVERIFY(editor.is_valid());
        editor.set_spec("");
        QVERIFY(editor.findChildren<QLineEdit*>().isEmpty());
        QVERIFY(editor.spec().isEmpty());
    }

    void editor_rejects_invalid_values() {
        ScalingEditor editor;
        editor.set_spec("yarn:factor=0.5");
        QVERIFY(!editor.is_valid());
        auto* apply = editor.findChild<QPushButton*>();
        QVERIFY(!apply->isEnabled());
        editor.set_spec("linear");  // factor is required
        QVERIFY(!editor.is_valid());
    }

    void applying_scaling_updates_the_effective_configuration() {
        MainWindow w;
        w.show();
        w.load_model(lltest::kRefMini);
        QTRY_VERIFY_WITH_TIMEOUT(w.model_service()->has_model(), 60000);
        ScalingEditor* editor = w.model_panel()->scaling_editor();
        editor->set_spec("yarn:factor=4");
        QTest::mouseClick(editor->findChild<QPushButton*>(), Qt::LeftButton);
        QCOMPARE(w.model_service()->summary().method, QString("yarn"));
        QCOMPARE(w.model_service()->summary().effective_window, 1024);
        // New rows are shown by the layout on the next event-loop pass.
        QTRY_VERIFY2(panel_text(w.model_panel()).contains(QLocale().toString(1024) + " tokens"),
                     qPrintable(panel_text(w.model_panel())));
        QCOMPARE(QSettings().value("model/scaling").toString(), QString("yarn:factor=4"));

        // Linear interpolation on a model not tuned for it is warned about.
        editor->set_spec("linear:factor=2");
        QTest::mouseClick(editor->findChild<QPushButton*>(), Qt::LeftButton);
        QVERIFY(!w.model_service()->summary().warnings.isEmpty());
        QVERIFY(!w.model_panel()->warnings_text().isEmpty());
        QSettings().remove("model/scaling");
    }

    // A sliding window chosen in the panel is in force (summary, effective configuration,
    // settings) and the bundled model still answers the sample's question under it.
    void sliding_window_attention_answers() {
        MainWindow w;
        w.show();
        w.import_files({bundled::sample_document()});
        w.load_model(bundled::model_dir());
        QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.model_service()->has_model(), 120000);
        QCOMPARE(w.model_service()->summary().attention, QString("full"));

        auto* editor = w.model_panel()->attention_editor();
        auto* kind = editor->findChild<QComboBox*>();
        kind->setCurrentIndex(kind->findData("window"));
        QSpinBox* size = editor->findChildren<QSpinBox*>().first();
        QVERIFY(size->isVisibleTo(editor));
        size->setValue(384);
        QCOMPARE(w.model_service()->summary().attention, QString("window:size=384"));
        QCOMPARE(w.model_service()->summary().attention_source, QString("user"));
        QTRY_VERIFY2(panel_text(w.model_panel()).contains("window:size=384 (user)"),
                     qPrintable(panel_text(w.model_panel())));
        QCOMPARE(QSettings().value("model/attention").toString(), QString("window:size=384"));

        QSignalSpy finished(&w, &MainWindow::answer_finished);
        w.ask(bundled::example_question());
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
        AnswerCard* card = w.answer_panel()->last_card();
        QVERIFY(card);
        QVERIFY2(!card->answer_text().trimmed().isEmpty(), "no answer under a sliding window");
        QSettings().remove("model/attention");
    }

    // The KV type picked in the panel is in force: the memory line and the effective
    // configuration give its bytes per token, the choice is remembered, and the bundled
    // model still answers the sample's question with the smallest type.
    void kv_type_sets_memory_and_still_answers() {
        MainWindow w;
        w.show();
        w.import_files({bundled::sample_document()});
        w.load_model(bundled::model_dir());
        QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.model_service()->has_model(), 120000);
        const ModelSummary& s = w.model_service()->summary();
        QCOMPARE(s.kv_type, QString("f16"));  // the app's default
        QCOMPARE(s.kv_bytes_per_token, kv_bytes(s, "f16"));

        for (const QString type : {"f32", "q8_0"}) {
            pick_kv_type(w.model_panel(), type);
            QCOMPARE(s.kv_type, type);
            QCOMPARE(s.kv_bytes_per_token, kv_bytes(s, type));
            const QString per_token = format_bytes(kv_bytes(s, type));
            QTRY_VERIFY2(panel_text(w.model_panel()).contains(per_token + " KV per token (" + type),
                         qPrintable(panel_text(w.model_panel())));
            QVERIFY(panel_text(w.model_panel()).contains(type + " (" + per_token + " per token)"));
            QCOMPARE(QSettings().value("model/kv_type").toString(), type);
        }

        QSignalSpy finished(&w, &MainWindow::answer_finished);
        w.ask(bundled::example_question());
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
        AnswerCard* card = w.answer_panel()->last_card();
        QVERIFY(card);
        QVERIFY2(!card->answer_text().trimmed().isEmpty(), "no answer with a q8_0 KV cache");

        // A later start picks up the remembered type.
        ModelService service;
        ModelPanel panel(&service);
        QCOMPARE(panel.kv_type_picker()->type(), QString("q8_0"));
        QSettings().remove("model/kv_type");
    }

    void kv_type_names_are_checked() {
        ModelService service;
        try {
            service.set_kv_type("q4_0");
            QFAIL("q4_0 was taken as a KV cache type");
        } catch (const AppError& e) {
            QVERIFY2(QString(e.what()).contains("f32, f16 or q8_0"), e.what());
        }
        service.set_kv_type("q8_0");  // checked against a model when it loads
        QCOMPARE(service.kv_choice(), QString("q8_0"));
    }

    void attention_editor_validates() {
        AttentionEditor editor;
        editor.set_spec("s2:group=64");
        QCOMPARE(editor.spec(), QString("s2:group=64"));
        QVERIFY(editor.is_valid());
        QSpinBox* group = editor.findChildren<QSpinBox*>().last();
        group->setValue(65);  // odd: the shifted half-group would not be whole
        QVERIFY(!editor.is_valid());
        editor.set_spec("sinks:sinks=4,window=60");
        QCOMPARE(editor.spec(), QString("sinks:sinks=4,window=60"));
        QVERIFY(editor.is_valid());
        editor.set_spec("");
        QCOMPARE(editor.spec(), QString("full"));
    }

    void context_mode_is_stored() {
        ModelService service;
        ModelPanel panel(&service);
        auto* mode = panel.findChild<QComboBox*>("context_mode");
        mode->setCurrentIndex(mode->findData("retrieve"));
        QCOMPARE(panel.context_mode(), QString("retrieve"));
        QCOMPARE(QSettings().value("qa/context_mode").toString(), QString("retrieve"));
        mode->setCurrentIndex(mode->findData("auto"));
    }
};

QTEST_MAIN(ModelPanelTest)
#include "test_model_panel.moc"
