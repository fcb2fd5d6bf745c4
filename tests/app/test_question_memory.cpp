// Out of memory while preparing questions about a huge document (issue 21 §2, §8): in a child
// process whose address space leaves no room for the passage index, the answerer is refused
// with an AppError naming the document, its size and what LongLens needs per character,
// never a bare std::bad_alloc.
#include <gtest/gtest.h>

#include <cstdio>

#include <sys/resource.h>
#include <unistd.h>

#include "app_error.h"
#include "bundled.h"
#include "child_process.h"
#include "documents/document.h"
#include "qa/model_run.h"

namespace {

// What is mapped now and `extra` more.
[[maybe_unused]] rlim_t mapped_now_plus(rlim_t extra) {  // unused under ASan
    long pages = 0;
    if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
        std::fclose(statm);
    }
    return rlim_t(pages) * rlim_t(::sysconf(_SC_PAGESIZE)) + extra;
}

}  // namespace

TEST(QuestionMemory, RunningOutOfMemoryPreparingQuestionsIsNamed) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer reserves more address space than any limit leaves";
#else
    ll::RunConfig config;
    config.model_path = ll::bundled::model_dir();
    const ll::ModelRun run = ll::load_run(config);
    // 6 M characters of Chinese text: its passages and bigram index need ~65 MB.
    ll::Document doc;
    doc.path = "/books/huge.txt";
    const QString line = QString::fromUtf8(
        "第一千零四十三条 家庭应当树立优良家风，弘扬家庭美德，重视家庭文明建设。\n");
    doc.text = line.repeated(6'000'000 / line.size());
    doc.index_lines();
    const lltest::ChildOutcome child = lltest::run_in_child([&](int report) {
        const rlim_t room = mapped_now_plus(24u << 20);
        const rlimit limit{room, room};
        ::setrlimit(RLIMIT_AS, &limit);
        try {
            (void)run.answerer(doc);
        } catch (const ll::AppError& e) {
            lltest::report(report, e.what());
            return 0;
        } catch (const std::bad_alloc&) {
            return 2;
        }
        return 1;  // prepared anyway
    });
    ASSERT_TRUE(child.exited);
    EXPECT_EQ(child.code, 0) << "1: prepared; 2: a bare std::bad_alloc";
    const QString message = QString::fromStdString(child.message);
    EXPECT_TRUE(message.startsWith(doc.path + ": not enough memory to prepare questions about "
                                              "its "))
        << child.message;
    EXPECT_TRUE(message.contains(QString("%L1 characters").arg(doc.text.size()))) << child.message;
    EXPECT_TRUE(message.contains("12 bytes per character")) << child.message;
#endif
}
