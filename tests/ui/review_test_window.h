// The review panel's tests (test_review_view, test_review_compare): a window with the YaRN
// paper and ref-mini, the review written in a few tokens, and what they wait for.
#pragma once

#include <QFileInfo>
#include <QSignalSpy>

#include "main_window.h"
#include "model_service.h"
#include "review/review_panel.h"
#include "review_session.h"
#include "ui_test_support.h"

namespace lltest {

inline constexpr int kTimeout = 240000;
inline const QString kYarn = shared("corpus/papers/yarn-2309.00071v2.pdf");
inline const QString kAttention =
    shared("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf");

inline bool is_open(ll::MainWindow& w, const QString& path) {
    return w.document() && QFileInfo(w.document()->path) == QFileInfo(path);
}

struct ReviewWindow {
    ll::MainWindow w;
    ll::ReviewPanel* panel = nullptr;

    ReviewWindow() {
        w.resize(1400, 900);
        w.show();
        w.import_files({kYarn});
        w.load_model(kRefMini);
        panel = w.review_panel();
        panel->session()->max_tokens = 12;
        panel->session()->prompt_dir.clear();  // the compiled-in prompts only
    }
    bool ready() { return w.document() && w.model_service()->has_model(); }
    // Waits until no part is written or waiting.
    bool wait() {
        QSignalSpy finished(panel, &ll::ReviewPanel::finished);
        return finished.wait(kTimeout) || !finished.isEmpty();
    }
    const ll::Review& review() { return panel->session()->review(); }
};

}  // namespace lltest
