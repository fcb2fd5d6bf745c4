#include "grounding_sets.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "documents/importer.h"
#include "documents/structure_detector.h"
#include "documents/text_decoding.h"
#include "qa/passage_chunker.h"

namespace llbench::grounding {

namespace {

uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::runtime_error missing(const QString& path) {
    return std::runtime_error("not found: " + path.toStdString() +
                              " (the grounding sets read ../shared; --shared DIR)");
}

std::shared_ptr<const ll::Document> import_shared(const SetOptions& o, const QString& rel) {
    const QString path = o.shared_dir + "/" + rel;
    if (!QFileInfo::exists(path)) throw missing(path);
    static std::map<QString, std::shared_ptr<const ll::Document>> cache;  // one import per run
    auto& doc = cache[path];
    if (!doc) doc = std::make_shared<const ll::Document>(ll::import_document(path));
    return doc;
}

// A text with whitespace runs as one space (and lower-cased when `fold`), with a map from
// each of its characters back to the original text.
struct Folded {
    QString text;
    std::vector<qsizetype> origin;
};

Folded fold(const QString& s, bool lower) {
    Folded f;
    bool space = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c.isSpace() || c == QChar(0x3000)) {
            space = !f.text.isEmpty();
            continue;
        }
        if (space) {
            f.text += u' ';
            f.origin.push_back(i);
            space = false;
        }
        f.text += lower ? c.toLower() : c;
        f.origin.push_back(i);
    }
    return f;
}

// Every occurrence of `needle` (folded like the text) as ranges of the original text.
std::vector<GoldSpan> find_folded(const Folded& hay, const QString& needle) {
    std::vector<GoldSpan> out;
    if (needle.isEmpty()) return out;
    for (qsizetype at = hay.text.indexOf(needle); at >= 0;
         at = hay.text.indexOf(needle, at + needle.size())) {
        const qsizetype last = at + needle.size() - 1;
        out.push_back({hay.origin[size_t(at)], hay.origin[size_t(last)] + 1});
    }
    return out;
}

// The article's number as the heading writes it ("第一千零四十三条"), or "" for a heading that
// does not start with 第…条.
QString article_label(const ll::OutlineNode& n) {
    static const QRegularExpression re(
        QStringLiteral("^(第[〇零一二两三四五六七八九十百千万]+条)"));
    const auto m = re.match(n.title);
    return m.hasMatch() ? m.captured(1) : QString();
}

struct Article {
    const ll::OutlineNode* node;
    QString label;
};

std::vector<Article> articles_of(const ll::Document& doc) {
    std::vector<Article> out;
    for (const ll::OutlineNode& n : doc.outline) {
        if (n.kind != ll::StructureKind::Article || n.number < 0) continue;
        const QString label = article_label(n);
        if (!label.isEmpty()) out.push_back({&n, label});
    }
    return out;
}

std::vector<Case> civil_number(const SetOptions& o) {
    const auto doc = import_shared(o, "corpus/legal/prc-civil-code-zh.pdf");
    const std::vector<Article> articles = articles_of(*doc);
    std::vector<Case> out;
    for (size_t i : sample_indices(articles.size(), o.limit, o.seed)) {
        const Article& a = articles[i];
        Case c;
        c.id = QStringLiteral("civil-number/%1").arg(a.node->number);
        c.doc = doc;
        c.question = a.label + QStringLiteral("规定了什么？");
        c.gold = {{a.node->start, a.node->end}};
        // A right answer quotes the article: its first clause after the number.
        const QString body =
            doc->text
                .mid(a.node->start + a.label.size(), a.node->end - a.node->start - a.label.size())
                .simplified()
                .remove(u' ');
        c.answer = body.section(QRegularExpression(QStringLiteral("[，。；：、]")), 0, 0).left(12);
        out.push_back(std::move(c));
    }
    return out;
}

// The longest clause (between punctuation) of 6 to 24 characters of the article that occurs
// exactly once in the whole text, line breaks of the PDF removed; "" when there is none.
QString unique_clause(const ll::Document& doc, const Article& a, const QString& flat) {
    const QString body =
        doc.text.mid(a.node->start + a.label.size(), a.node->end - a.node->start - a.label.size());
    static const QRegularExpression split(QStringLiteral("[，。；：、！？“”（）\\s]+"));
    QString best;
    for (QString clause : body.split(split, Qt::SkipEmptyParts)) {
        if (clause.size() < 6 || clause.size() > 24 || clause.size() <= best.size()) continue;
        const qsizetype first = flat.indexOf(clause);
        if (first >= 0 && flat.indexOf(clause, first + 1) < 0) best = clause;
    }
    return best;
}

std::vector<Case> civil_content(const SetOptions& o) {
    const auto doc = import_shared(o, "corpus/legal/prc-civil-code-zh.pdf");
    const std::vector<Article> articles = articles_of(*doc);
    QString flat = doc->text;
    flat.remove(QRegularExpression(QStringLiteral("\\s")));
    std::vector<Case> out;
    // Sampled like civil-number; an article without a clause of its own is passed over.
    for (size_t i : shuffled_indices(articles.size(), o.seed)) {
        if (o.limit > 0 && int(out.size()) >= o.limit) break;
        const Article& a = articles[i];
        const QString clause = unique_clause(*doc, a, flat);
        if (clause.isEmpty()) continue;
        Case c;
        c.id = QStringLiteral("civil-content/%1").arg(a.node->number);
        c.doc = doc;
        c.question = QStringLiteral("哪一条规定了“%1”？").arg(clause);
        c.gold = {{a.node->start, a.node->end}};
        c.answer = a.label;
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(),
              [](const Case& a, const Case& b) { return a.gold[0].start < b.gold[0].start; });
    return out;
}

struct Needle {
    const char* sentence;
    const char* question;
    const char* answer;
};

// Natural sentences, each with one fact no novel states, its question and its key phrase.
const Needle kEnglishNeedles[] = {
    {"Mrs. Pemberton kept the spare key to the boathouse inside a hollow brass owl on the "
     "mantelpiece.",
     "Where did Mrs. Pemberton keep the spare key to the boathouse?", "hollow brass owl"},
    {"The old ferryman charged seventeen copper coins for every crossing made before dawn.",
     "How much did the old ferryman charge for a crossing before dawn?", "seventeen copper coins"},
    {"Captain Wilder named his grey pony Thunderbolt after the storm on the night it was born.",
     "What did Captain Wilder name his grey pony?", "Thunderbolt"},
    {"The village baker always added a pinch of cardamom to the bread he sold on Sundays.",
     "What did the village baker add to the bread he sold on Sundays?", "cardamom"},
    {"Aunt Matilda buried the silver spoons beneath the largest pear tree in the orchard.",
     "Where did Aunt Matilda bury the silver spoons?", "largest pear tree"},
};
const Needle kGermanNeedles[] = {
    {"Der Briefträger versteckte den Schlüssel zum Gartenhaus unter einem blauen Blumentopf.",
     "Wo versteckte der Briefträger den Schlüssel zum Gartenhaus?", "blauen Blumentopf"},
    {"Die Apothekerin trank jeden Morgen genau drei Tassen Kamillentee am offenen Fenster.",
     "Wie viele Tassen Kamillentee trank die Apothekerin jeden Morgen?", "drei Tassen"},
};
const Needle kChineseNeedles[] = {
    {"那位老渔夫把铜钥匙藏在了东岸第三棵柳树下的石缝里。", "老渔夫把铜钥匙藏在了哪里？",
     "第三棵柳树下"},
    {"城南的药铺每逢初七便给穷人送去九包甘草。", "城南的药铺每逢初七给穷人送去什么？", "九包甘草"},
};

// The novel's text with `sentence` put between the two sentences nearest `depth` (0: before
// the first, 1: after the last), and the sentence's range.
std::pair<QString, GoldSpan> plant(const QString& text, const QString& sentence, double depth) {
    const auto sentences = ll::sentence_ranges(text, 0, text.size());
    std::vector<qsizetype> bounds{0};
    for (const auto& s : sentences) bounds.push_back(s.second);
    const double target = depth * double(text.size());
    const qsizetype at =
        *std::min_element(bounds.begin(), bounds.end(), [&](qsizetype a, qsizetype b) {
            return std::abs(double(a) - target) < std::abs(double(b) - target);
        });
    const QString before = at == 0 ? QString() : QStringLiteral(" ");
    const QString after = at == 0 ? QStringLiteral(" ") : QString();
    const QString out = text.left(at) + before + sentence + after + text.mid(at);
    const qsizetype start = at + before.size();
    return {out, {start, start + sentence.size()}};
}

std::vector<Case> novel_needles(const SetOptions& o) {
    struct Novel {
        const char* rel;
        const Needle* needles;
        size_t count;
    };
    const Novel novels[] = {
        {"corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt", kEnglishNeedles,
         std::size(kEnglishNeedles)},
        {"corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt", kEnglishNeedles,
         std::size(kEnglishNeedles)},
        {"corpus/novels/die-verwandlung-kafka-de.pg22367.utf8.txt", kGermanNeedles,
         std::size(kGermanNeedles)},
        {"corpus/novels/journey-to-the-west-ch01-07.utf8.txt", kChineseNeedles,
         std::size(kChineseNeedles)},
    };
    const double depths[] = {0.0, 0.25, 0.5, 0.75, 1.0};
    std::vector<Case> all;
    size_t n = 0;
    for (const Novel& novel : novels) {
        const auto source = import_shared(o, novel.rel);
        for (size_t d = 0; d < std::size(depths); ++d, ++n) {
            const Needle& needle = novel.needles[(d + n) % novel.count];
            auto [text, span] = plant(source->text, QString::fromUtf8(needle.sentence), depths[d]);
            Case c;
            c.id = QStringLiteral("needles/%1@%2")
                       .arg(QFileInfo(novel.rel).baseName().section('-', 0, 1))
                       .arg(depths[d]);
            c.doc = document_from_text(text, source->path);
            c.question = QString::fromUtf8(needle.question);
            c.gold = {span};
            c.answer = QString::fromUtf8(needle.answer);
            all.push_back(std::move(c));
        }
    }
    std::vector<Case> out;
    for (size_t i : sample_indices(all.size(), o.limit, o.seed)) out.push_back(all[i]);
    return out;
}

std::vector<Case> leval(const SetOptions& o, const QString& rel, const QString& name) {
    const QString path = o.shared_dir + "/" + rel;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) throw missing(path);
    std::vector<Case> all;
    int doc_index = 0;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.trimmed().isEmpty()) continue;
        const QJsonObject row = QJsonDocument::fromJson(line).object();
        const QString text = ll::normalise_line_ends(row.value("input").toString());
        const QJsonArray questions = row.value("instructions").toArray();
        const QJsonArray answers = row.value("outputs").toArray();
        std::shared_ptr<const ll::Document> doc;
        for (qsizetype q = 0; q < questions.size() && q < answers.size(); ++q) {
            const QString answer = answers[q].toString();
            std::vector<GoldSpan> gold = gold_occurrences(text, answer);
            if (gold.empty()) continue;
            if (!doc) doc = document_from_text(text, path + QStringLiteral("#%1").arg(doc_index));
            Case c;
            c.id = QStringLiteral("%1/%2.%3").arg(name).arg(doc_index).arg(q);
            c.doc = doc;
            c.question = questions[q].toString().trimmed();
            c.gold = std::move(gold);
            c.answer =
                answer.trimmed().remove(QRegularExpression(QStringLiteral("^\\([A-D]\\)\\s*")));
            all.push_back(std::move(c));
        }
        ++doc_index;
    }
    std::vector<Case> out;
    for (size_t i : sample_indices(all.size(), o.limit, o.seed)) out.push_back(all[i]);
    return out;
}

std::vector<Case> papers(const SetOptions& o) {
    QFile f(o.papers_file);
    if (!f.open(QIODevice::ReadOnly)) throw missing(o.papers_file);
    const QJsonArray rows = QJsonDocument::fromJson(f.readAll()).array();
    std::vector<Case> all;
    for (const QJsonValue& v : rows) {
        const QJsonObject row = v.toObject();
        const auto doc = import_shared(o, row.value("document").toString());
        const QString sentence = row.value("sentence").toString();
        // The sentence as the PDF's text holds it: whitespace (line breaks) may differ.
        std::vector<GoldSpan> gold =
            find_folded(fold(doc->text, false), fold(sentence, false).text);
        if (gold.empty())
            throw std::runtime_error("papers.json: sentence not found in " +
                                     row.value("document").toString().toStdString() + ": " +
                                     sentence.left(60).toStdString());
        const int page = row.value("page").toInt();
        if (doc->page_of(gold.front().start) + 1 != page)
            throw std::runtime_error("papers.json: sentence is on page " +
                                     std::to_string(doc->page_of(gold.front().start) + 1) +
                                     ", not " + std::to_string(page) + ": " +
                                     sentence.left(60).toStdString());
        Case c;
        c.id = "papers/" + row.value("id").toString();
        c.doc = doc;
        c.question = row.value("question").toString();
        c.gold = std::move(gold);
        c.answer = row.value("answer").toString();
        all.push_back(std::move(c));
    }
    std::vector<Case> out;
    for (size_t i : sample_indices(all.size(), o.limit, o.seed)) out.push_back(all[i]);
    return out;
}

}  // namespace

QStringList set_names() {
    return {"civil-number", "civil-content", "needles", "leval-sciqa", "leval-quality", "papers"};
}

std::vector<Case> build_set(const QString& name, const SetOptions& o) {
    if (name == "civil-number") return civil_number(o);
    if (name == "civil-content") return civil_content(o);
    if (name == "needles") return novel_needles(o);
    if (name == "leval-sciqa") return leval(o, "corpus/qa/leval-scientific_qa.jsonl", name);
    if (name == "leval-quality") return leval(o, "corpus/qa/leval-quality.jsonl", name);
    if (name == "papers") return papers(o);
    throw std::runtime_error("unknown set '" + name.toStdString() +
                             "' (sets: " + set_names().join(", ").toStdString() + ")");
}

std::vector<size_t> shuffled_indices(size_t n, uint64_t seed) {
    std::vector<size_t> idx(n);
    for (size_t i = 0; i < n; ++i) idx[i] = i;
    uint64_t state = seed;
    for (size_t i = 0; i + 1 < n; ++i) {
        const size_t j = i + size_t(splitmix64(state) % (n - i));
        std::swap(idx[i], idx[j]);
    }
    return idx;
}

std::vector<size_t> sample_indices(size_t n, int k, uint64_t seed) {
    std::vector<size_t> idx = shuffled_indices(n, seed);
    if (k > 0 && size_t(k) < n) idx.resize(size_t(k));
    std::sort(idx.begin(), idx.end());
    return idx;
}

std::vector<GoldSpan> gold_occurrences(const QString& text, const QString& answer) {
    QString a = answer.trimmed();
    a.remove(QRegularExpression(QStringLiteral("^\\([A-D]\\)\\s*")));
    a = fold(a, true).text;
    while (a.endsWith(u'.')) a.chop(1);
    a = a.trimmed();
    if (a.size() < 10) return {};
    return find_folded(fold(text, true), a);
}

std::shared_ptr<const ll::Document> document_from_text(const QString& text, const QString& name) {
    auto doc = std::make_shared<ll::Document>();
    doc->path = name;
    doc->format = ll::DocumentFormat::PlainText;
    doc->text = text;
    doc->outline = ll::detect_structure(doc->text);
    doc->index_lines();
    return doc;
}

}  // namespace llbench::grounding
