// The paper review assistant (issue 19) in-process: the parts' contexts and prompts, the
// pipeline on ref-mini and the bundled model over the YaRN paper (every part produced, every
// citation inside the paper's text, every sentence cited), the exports (Markdown with each
// part, HTML parsed as XML, the PDF re-opened by Poppler with one highlight per cited span
// and page), a prompt override, and cancel.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <poppler-annotation.h>
#include <poppler-qt6.h>

#include <QSet>

#include <map>

#include "app_error.h"
#include "bundled.h"
#include "import_test_support.h"
#include "paper_reviewer.h"
#include "review_context.h"
#include "review_export.h"
#include "review_pdf.h"
#include "review_runner.h"

using namespace ll;

namespace {

const char* kYarn = "corpus/papers/yarn-2309.00071v2.pdf";

const Document& yarn() {
    static const Document doc = lltest::import_shared(kYarn);
    return doc;
}

const ModelRun& ref_mini() {
    static const ModelRun run = [] {
        RunConfig c;
        c.model_path = QString::fromStdString(lltest::shared_path("models/ref-mini"));
        return load_run(c);
    }();
    return run;
}

ReviewOptions small_options(const QString& prompt_dir = {}) {
    ReviewOptions o;
    o.max_tokens = 16;
    o.max_notes = 3;
    o.max_sentences = 3;
    o.prompt_dir = prompt_dir;  // "": only the compiled-in prompts
    return o;
}

// Every citation an exact range of the paper's text, with that text; every sentence cited.
void expect_grounded(const Document& doc, const ReviewPart& p) {
    EXPECT_EQ(p.status, PartStatus::Done) << p.id.toStdString() << ": " << p.error.toStdString();
    EXPECT_FALSE(p.text.isEmpty()) << p.id.toStdString();
    EXPECT_FALSE(p.sentences.isEmpty()) << p.id.toStdString();
    EXPECT_FALSE(p.citations.isEmpty()) << p.id.toStdString();
    for (const ReviewSentence& s : p.sentences) {
        EXPECT_FALSE(s.cites.isEmpty()) << p.text.mid(s.start, s.end - s.start).toStdString();
        for (int i : s.cites) EXPECT_LT(i, p.citations.size());
    }
    for (const AnswerCitation& c : p.citations) {
        EXPECT_GE(c.start, 0);
        EXPECT_LT(c.start, c.end);
        EXPECT_LE(c.end, doc.text.size());
        EXPECT_EQ(doc.text.mid(c.start, c.end - c.start).simplified(), c.text.simplified());
        EXPECT_EQ(c.page, doc.page_of(c.start));
        EXPECT_FALSE(c.rects.isEmpty());
    }
}

}  // namespace

TEST(ReviewParts, NineInOrderAndParsed) {
    QStringList ids;
    for (const ReviewPartSpec& p : review_parts()) ids << p.id;
    EXPECT_EQ(ids, QStringList({"summary", "contributions", "method", "evidence", "strengths",
                                "weaknesses", "questions", "related_work", "reproducibility"}));
    // Review order whatever the order asked; an unknown id is refused.
    const QList<ReviewPartSpec> two = parse_parts("method,summary");
    ASSERT_EQ(two.size(), 2);
    EXPECT_EQ(two[0].id, "summary");
    EXPECT_EQ(two[1].id, "method");
    EXPECT_THROW(parse_parts("summary,novelty"), AppError);
}

TEST(ReviewPrompts, CompiledInAndOverridden) {
    for (const ReviewPartSpec& p : review_parts() + comparison_aspects()) {
        const ReviewPrompt prompt = load_review_prompt(p.id, {});
        EXPECT_EQ(prompt.source, ":/review/" + p.id + ".md");
        EXPECT_FALSE(prompt.text.isEmpty()) << p.id.toStdString();
        EXPECT_FALSE(prompt.text.contains("<!--")) << "comments are not sent";
    }
    QTemporaryDir dir;
    const QString path = lltest::write_file(dir, "summary.md", "<!-- mine -->\nSay only: hello.\n");
    const ReviewPrompt p = load_review_prompt("summary", dir.path());
    EXPECT_EQ(p.text, "Say only: hello.");
    EXPECT_EQ(p.source, path);
    EXPECT_EQ(load_review_prompt("method", dir.path()).source, ":/review/method.md");
    // The default folder is the config folder's review/.
    EXPECT_TRUE(review_prompt_dir().endsWith("/review"));
    EXPECT_THROW(load_review_prompt("no-such-part", dir.path()), AppError);
}

TEST(ReviewContext, PartsReadTheirSections) {
    LL_REQUIRE_SHARED(kYarn);
    const Document& doc = yarn();
    const PaperStructure paper = detect_paper_structure(doc);
    auto names = [&](const QString& id) {
        return part_section_names(paper, *find_part(id)).join(" | ");
    };
    EXPECT_TRUE(names("method").contains("3 Methodology")) << names("method").toStdString();
    EXPECT_TRUE(names("evidence").contains("4 Experiments")) << names("evidence").toStdString();
    EXPECT_TRUE(names("related_work").contains("References"));
    EXPECT_TRUE(names("related_work").contains("Related Work"));
    EXPECT_TRUE(names("summary").startsWith("Abstract"));
    // The excerpt is exactly those ranges; every excerpt range maps back to the same text.
    const QList<TextSpan> ranges = part_ranges(doc, paper, *find_part("method"));
    ASSERT_FALSE(ranges.isEmpty());
    const Excerpt x = make_excerpt(doc, ranges);
    qsizetype total = 0;
    for (const TextSpan& r : ranges) total += r.end - r.start;
    EXPECT_EQ(x.doc.text.size(), total + 2 * (ranges.size() - 1));
    EXPECT_EQ(x.doc.boxes.size(), x.doc.text.size());
    for (const Excerpt::Piece& p : x.pieces) {
        const auto s = x.to_source(p.at + 10, p.at + 60);
        ASSERT_TRUE(s.has_value());
        EXPECT_EQ(doc.text.mid(s->start, 50), x.doc.text.mid(p.at + 10, 50));
        EXPECT_EQ(doc.page_of(s->start), x.doc.page_of(p.at + 10));
    }
}

TEST(ReviewSentences, Split) {
    const QList<ReviewSentence> s = split_sentences("YaRN scales 3.5 times. It works!  Why?");
    ASSERT_EQ(s.size(), 3);
    EXPECT_EQ(s[0].end, 22);
    EXPECT_EQ(split_sentences("no end mark here").size(), 1);
    EXPECT_TRUE(split_sentences("  ").isEmpty());
}

// ref-mini's 256-token window holds no section: every part is read section by section.
TEST(ReviewPipeline, RefMiniWritesEveryPartGrounded) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    const Document& doc = yarn();
    const Review review = write_review(ref_mini(), doc, review_parts(), small_options());
    ASSERT_EQ(review.parts.size(), review_parts().size());
    for (const ReviewPart& p : review.parts) {
        expect_grounded(doc, p);
        EXPECT_TRUE(p.context.contains("section by section")) << p.context.toStdString();
    }

    QTemporaryDir dir;
    // Markdown: every part's heading, its sources with page anchors and quotes.
    const QString md = review_markdown(review);
    for (const ReviewPart& p : review.parts) EXPECT_TRUE(md.contains("## " + p.title + "\n"));
    EXPECT_TRUE(md.contains("(yarn-2309.00071v2.pdf#page="));
    EXPECT_TRUE(md.contains("> “"));
    // HTML: well-formed XML (and valid to xmllint when it is installed).
    const QString html_path = dir.filePath("review.html");
    write_text_file(html_path, review_html(review));
    QFile f(html_path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    int sections = 0;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"section")
            ++sections;
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString() << " at line "
                                 << xml.lineNumber();
    EXPECT_EQ(sections, review.parts.size());
    const QString xmllint = QStandardPaths::findExecutable("xmllint");
    if (!xmllint.isEmpty()) {
        EXPECT_EQ(QProcess::execute(xmllint, {"--noout", html_path}), 0);
    }

    // The PDF: exactly one highlight per cited span and page, on those pages.
    const QString pdf_path = dir.filePath("annotated.pdf");
    const HighlightPlan plan = plan_highlights(review);
    ASSERT_FALSE(plan.marks.isEmpty());
    EXPECT_EQ(write_annotated_pdf(review, doc.path, pdf_path), plan.marks.size());
    std::map<int, int> expected, found;
    for (const HighlightPlan::Mark& m : plan.marks) ++expected[m.page];
    std::unique_ptr<Poppler::Document> pdf = Poppler::Document::load(pdf_path);
    ASSERT_TRUE(pdf);
    for (int i = 0; i < pdf->numPages(); ++i) {
        const std::unique_ptr<Poppler::Page> page = pdf->page(i);
        for (const auto& a : page->annotations())
            if (a->subType() == Poppler::Annotation::AHighlight) {
                ++found[i];
                EXPECT_EQ(a->author(), "LongLens");
            }
    }
    EXPECT_EQ(found, expected);
    // The source is untouched.
    std::unique_ptr<Poppler::Document> source = Poppler::Document::load(doc.path);
    int source_highlights = 0;
    for (int i = 0; i < source->numPages(); ++i) {
        const std::unique_ptr<Poppler::Page> page = source->page(i);
        for (const auto& a : page->annotations())
            source_highlights += a->subType() == Poppler::Annotation::AHighlight;
    }
    EXPECT_EQ(source_highlights, 0);
}

// The bundled model (YaRN x8 over a 512-token training window), at a window kept small for
// the sanitiser runs.
TEST(ReviewPipeline, BundledModelWritesAGroundedPart) {
    LL_REQUIRE_SHARED(kYarn);
    if (bundled::model_dir().isEmpty()) GTEST_SKIP() << "the bundled model is missing";
    RunConfig c;
    c.model_path = bundled::model_dir();
    c.window = 1024;  // the summary's 2,000 tokens in two notes, cheap under ASan
    const ModelRun run = load_run(c);
    ReviewOptions o = small_options();
    o.max_notes = 2;
    const Review review = write_review(run, yarn(), parse_parts("summary"), o);
    ASSERT_EQ(review.parts.size(), 1);
    expect_grounded(yarn(), review.parts[0]);
}

TEST(ReviewPipeline, PromptOverrideIsUsed) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    QTemporaryDir dir;
    const QString path = lltest::write_file(dir, "method.md", "What is the scale factor s?");
    const PaperReviewer reviewer(ref_mini(), yarn(), small_options(dir.path()));
    const ReviewPart mine = reviewer.write(*find_part("method"));
    EXPECT_EQ(mine.prompt_source, path);
    const PaperReviewer plain(ref_mini(), yarn(), small_options());
    const ReviewPart theirs = plain.write(*find_part("method"));
    EXPECT_EQ(theirs.prompt_source, ":/review/method.md");
    // Another question, another answer and other sources (greedy decoding: deterministic).
    EXPECT_NE(mine.text + mine.context, theirs.text + theirs.context);
}

TEST(ReviewPipeline, CancelStopsAPart) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    ReviewOptions o = small_options();
    o.max_tokens = 64;
    const PaperReviewer reviewer(ref_mini(), yarn(), o);
    std::atomic<bool> cancel{false};
    ReviewCallbacks callbacks;
    int pieces = 0;
    callbacks.on_text = [&](const QString&) {
        if (++pieces == 2) cancel = true;
    };
    const ReviewPart p = reviewer.write(*find_part("summary"), callbacks, &cancel);
    EXPECT_EQ(p.status, PartStatus::Cancelled);
    EXPECT_LE(pieces, 3);
    // A review cancelled before its parts: each is marked cancelled, none written.
    const Review r =
        write_review(ref_mini(), yarn(), parse_parts("summary,method"), o, {}, &cancel);
    ASSERT_EQ(r.parts.size(), 2);
    for (const ReviewPart& q : r.parts) {
        EXPECT_EQ(q.status, PartStatus::Cancelled);
        EXPECT_TRUE(q.text.isEmpty());
    }
}

TEST(ReviewExport, FormatsByName) {
    EXPECT_EQ(export_format("a/b.MD"), "md");
    EXPECT_EQ(export_format("x.html"), "html");
    EXPECT_EQ(export_format("x.pdf"), "pdf");
    EXPECT_THROW(export_format("x.docx"), AppError);
}

// Each sentence is attributed on its own: three sentences about different paragraphs of the
// introduction, fed as the part's text, over the abstract and introduction read whole (the
// bundled model at a 2,048-token window), get citation lists of their own, and the sentence
// on the data used cites the paragraph with "0.1%".
TEST(ReviewPipeline, EachSentenceHasItsOwnCitations) {
    LL_REQUIRE_SHARED(kYarn);
    if (bundled::model_dir().isEmpty()) GTEST_SKIP() << "the bundled model is missing";
    RunConfig c;
    c.model_path = bundled::model_dir();
    c.window = 2048;
    const ModelRun run = load_run(c);
    ReviewOptions o = small_options();
    o.forced_text =
        "Position Interpolation extends the context window with a small amount of fine-tuning. "
        "The NTK-aware interpolation was proposed as an alternative to it. "
        "YaRN reaches state-of-the-art performances with less than 0.1% of the original "
        "pre-training data.";
    const PaperReviewer reviewer(run, yarn(), o);
    const ReviewPart p = reviewer.write(*find_part("contributions"));
    expect_grounded(yarn(), p);
    EXPECT_TRUE(p.context.contains("whole")) << p.context.toStdString();
    ASSERT_EQ(p.sentences.size(), 3);
    EXPECT_EQ(p.text, o.forced_text);
    QSet<QList<int>> distinct;
    for (const ReviewSentence& s : p.sentences) distinct.insert(s.cites);
    EXPECT_GE(distinct.size(), 2) << "one list for every sentence: not attributed one by one";
    bool data = false;
    for (int i : p.sentences[2].cites) data |= p.citations[i].text.contains("0.1%");
    EXPECT_TRUE(data);
}

// A long part is read in at most max_notes pieces, whatever the sections' sizes.
TEST(ReviewPipeline, NotesAreCapped) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    ReviewOptions o = small_options();
    o.max_notes = 2;
    const ReviewPart p = PaperReviewer(ref_mini(), yarn(), o).write(*find_part("weaknesses"));
    EXPECT_EQ(p.status, PartStatus::Done);
    EXPECT_TRUE(p.context.contains("on 2 pieces")) << p.context.toStdString();
}
