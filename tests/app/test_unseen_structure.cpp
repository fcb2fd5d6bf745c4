// Structure of documents nobody tuned the rules for (issue 20): a Project Gutenberg novel
// and a contract written for these tests (tests/app/data/unseen), each compared with the
// outline read off the document by hand — kind, level, number, title and, for contents
// entries, the heading each names.
#include <gtest/gtest.h>

#include <QFile>

#include "documents/importer.h"
#include "documents/structure_detector.h"
#include "question_answerer.h"

using namespace ll;

namespace {

struct Expected {
    StructureKind kind;
    int level;
    int number;
    QString title;
    int target = -1;
};

QString data_path(const char* name) {
    return QStringLiteral(LL_UNSEEN_DATA "/") + QLatin1String(name);
}

std::string describe(const OutlineNode& n) {
    return QStringLiteral("%1 L%2 #%3 '%4' -> %5")
        .arg(kind_name(n.kind))
        .arg(n.level)
        .arg(n.number)
        .arg(n.title)
        .arg(n.target)
        .toStdString();
}

std::string describe(const Expected& e) {
    return describe(OutlineNode{e.kind, e.level, e.number, e.title, 0, 0, e.target});
}

void expect_outline(const Outline& got, const QList<Expected>& want) {
    std::string g, w;
    for (const OutlineNode& n : got) g += describe(n) + "\n";
    for (const Expected& e : want) w += describe(e) + "\n";
    EXPECT_EQ(g, w);
}

// Every heading starts where its title is printed.
void expect_starts_at_titles(const Document& doc) {
    for (const OutlineNode& n : doc.outline) {
        if (n.title.startsWith(QLatin1String("Gutenberg "))) continue;
        const QString first_word = n.title.section(QLatin1Char(' '), 0, 0);
        EXPECT_TRUE(doc.text.mid(n.start).startsWith(first_word)) << describe(n);
        EXPECT_LE(n.start, n.end) << describe(n);
    }
}

const StructureKind kFront = StructureKind::FrontMatter, kBack = StructureKind::BackMatter,
                    kEntry = StructureKind::ContentsEntry, kChapter = StructureKind::Chapter,
                    kSection = StructureKind::Section;

}  // namespace

TEST(UnseenStructure, GutenbergNovelWithContentsFrontMatterAndInnerBooks) {
    const Document doc = import_document(data_path("keeper-of-gull-rock.pg.txt"));
    const QString ch3 =
        QStringLiteral("CHAPTER III. Of the Birds of the Rock, and How They May Be Told Apart");
    expect_outline(doc.outline, {
                                    {kFront, 0, -1, "Gutenberg header"},
                                    {StructureKind::Contents, 0, -1, "CONTENTS"},
                                    {kEntry, 1, -1, "PREFACE", 10},
                                    {kEntry, 1, 1, "LETTER I.", 11},
                                    {kEntry, 1, 2, "LETTER II.", 12},
                                    {kEntry, 1, 1, "CHAPTER I. The Rock", 13},
                                    {kEntry, 1, 2, "CHAPTER II. A Light in the Fog", 14},
                                    {kEntry, 1, 3, ch3, 15},
                                    {kEntry, 1, 4, "CHAPTER IV. The Relief Boat", 19},
                                    {kEntry, 1, -1, "EPILOGUE", 20},
                                    {kFront, 0, -1, "PREFACE"},
                                    {kFront, 0, 1, "LETTER I."},
                                    {kFront, 0, 2, "LETTER II."},
                                    {kChapter, 0, 1, "CHAPTER I. The Rock"},
                                    {kChapter, 0, 2, "CHAPTER II. A Light in the Fog"},
                                    {kChapter, 0, 3, ch3},
                                    {kSection, 1, 1, "BOOK I. (Large Birds), CHAPTER I. (Gannet)."},
                                    {kSection, 1, 2, "BOOK II. (Middling Birds)."},
                                    {kSection, 1, 3, "BOOK III. (Small Birds)."},
                                    {kChapter, 0, 4, "CHAPTER IV. The Relief Boat"},
                                    {kBack, 0, -1, "EPILOGUE"},
                                    {kBack, 0, -1, "Gutenberg licence"},
                                });
    expect_starts_at_titles(doc);
    ASSERT_EQ(doc.outline.size(), 22);
    // The header runs to the contents; the last chapter stops at the epilogue, which stops
    // where the licence begins; the licence's "Section 1-5" are no headings of the book.
    EXPECT_EQ(doc.outline[0].start, 0);
    EXPECT_EQ(doc.outline[0].end, doc.outline[1].start);
    EXPECT_EQ(doc.outline[19].end, doc.outline[20].start);
    EXPECT_EQ(doc.outline[20].end, doc.outline[21].start);
    EXPECT_TRUE(doc.text.mid(doc.outline[21].start).startsWith("*** END OF THE PROJECT"));
    EXPECT_EQ(doc.outline[21].end, doc.text.size());
    EXPECT_EQ(doc.count(StructureKind::Chapter), 4);
}

TEST(UnseenStructure, ContractClausesWithoutCrossReferences) {
    const Document doc = import_document(data_path("reseller-agreement.txt"));
    expect_outline(doc.outline, {
                                    {kSection, 0, 1, "1. DEFINITIONS."},
                                    {kSection, 1, 1, "1.1 \"Affiliate\" means any entity that co…"},
                                    {kSection, 1, 2, "1.2 \"Products\" means the instruments lis…"},
                                    {kSection, 1, 3, "1.3 \"Territory\" means the coastal counti…"},
                                    {kSection, 0, 2, "2. APPOINTMENT."},
                                    {kSection, 1, 1, "2.1 NONEXCLUSIVE RESELLER."},
                                    {kSection, 1, 2, "2.2 RESTRICTIONS."},
                                    {kSection, 1, 3, "2.3 RESERVATION OF RIGHTS."},
                                    {kSection, 0, 3, "3. TERM AND TERMINATION."},
                                    {kSection, 1, 1, "3.1 Term."},
                                    {kSection, 1, 2, "3.2 Termination for Cause."},
                                    {kSection, 1, 3, "3.3 Effect of Termination."},
                                    {kSection, 0, 4, "4. FEES AND PAYMENT."},
                                    {kSection, 1, 1, "4.1 PRICES."},
                                    {kSection, 1, 2, "4.2 PAYMENT TERMS."},
                                    {kSection, 0, 5, "5. GENERAL."},
                                    {kSection, 1, 1, "5.1 NOTICES."},
                                    {kSection, 1, 2, "5.2 GOVERNING LAW."},
                                });
    expect_starts_at_titles(doc);
    // Clause 2 holds its sub-clauses and ends where clause 3 begins.
    EXPECT_EQ(doc.outline[4].end, doc.outline[8].start);
}

TEST(UnseenStructure, ReferencesInRunningTextAreNoHeadings) {
    // A line that continues a sentence, or a number followed by "(a)", ".2" or a lower-case
    // word, is a reference.
    const QString text = QStringLiteral(
        "CHAPTER I\n\nIt began, as described in\nChapter II of the sequel, badly.\n\n"
        "CHAPTER II\n\nSee\nSection 2.2(a)(i) of this book.\n");
    QStringList titles;
    for (const OutlineNode& n : detect_structure(text)) titles.append(n.title);
    EXPECT_EQ(titles, QStringList({"CHAPTER I", "CHAPTER II"}));
}

TEST(UnseenStructure, NumberedListInANovelIsNoContract) {
    const QString text = QStringLiteral(
        "CHAPTER I\n\nShe wrote a list:\n\n1. Buy bread.\n2. Feed the goat.\n\nCHAPTER "
        "II\n\nDone.\n");
    QStringList titles;
    for (const OutlineNode& n : detect_structure(text)) titles.append(n.title);
    EXPECT_EQ(titles, QStringList({"CHAPTER I", "CHAPTER II"}));
}

TEST(UnseenStructure, ChipsInTheContentsAndLicenceNameThem) {
    // A passage quoted from the contents list is in the Contents, not in the chapter its
    // line names; one from the licence is in the licence, not in the last chapter.
    const Document doc = import_document(data_path("keeper-of-gull-rock.pg.txt"));
    const qsizetype toc_line = doc.text.indexOf("CHAPTER II. A Light in the Fog");
    EXPECT_TRUE(make_citation(doc, toc_line, toc_line + 10).label.endsWith("CONTENTS"))
        << qPrintable(make_citation(doc, toc_line, toc_line + 10).label);
    const qsizetype licence = doc.text.indexOf("Project Gutenberg depends upon");
    EXPECT_TRUE(make_citation(doc, licence, licence + 20).label.endsWith("of Gutenberg licence"))
        << qPrintable(make_citation(doc, licence, licence + 20).label);
}

TEST(UnseenStructure, LeaseRunInTitlesEndAtTheFirstSentenceAndTheScheduleIsBackMatter) {
    // A run-in title ends at its first full stop, in title case or not ("3.2 Late payment.
    // Rent more than …", "5.1 Ending the lease. (a) The Tenant …"); the cross-reference
    // "Section 5.2 of this Lease." that opens a line and the "(a)"/"(b)" items are no
    // headings; "SCHEDULE A" after the signatures is back matter, not a clause.
    const Document doc = import_document(data_path("residential-lease.txt"));
    expect_outline(doc.outline, {
                                    {kSection, 0, 1, "1. THE PREMISES."},
                                    {kSection, 1, 1, "1.1 Letting."},
                                    {kSection, 1, 2, "1.2 Use."},
                                    {kSection, 0, 2, "2. TERM."},
                                    {kSection, 1, 1, "2.1 Start."},
                                    {kSection, 1, 2, "2.2 Length of term."},
                                    {kSection, 0, 3, "3. RENT."},
                                    {kSection, 1, 1, "3.1 Amount."},
                                    {kSection, 1, 2, "3.2 Late payment."},
                                    {kSection, 0, 4, "4. REPAIRS AND INSPECTION."},
                                    {kSection, 1, 1, "4.1 Tenant's repairs."},
                                    {kSection, 1, 2, "4.2 Landlord's repairs."},
                                    {kSection, 1, 3, "4.3 Inspection."},
                                    {kSection, 0, 5, "5. NOTICES AND ENDING THE LEASE."},
                                    {kSection, 1, 1, "5.1 Ending the lease."},
                                    {kSection, 1, 2, "5.2 Notices."},
                                    {kBack, 0, 1, "SCHEDULE A"},
                                });
    expect_starts_at_titles(doc);
    // Clause 5 ends where the schedule begins; the schedule runs to the end.
    EXPECT_EQ(doc.outline[13].end, doc.outline[16].start);
    EXPECT_EQ(doc.outline[16].end, doc.text.size());
    // A passage of the schedule is cited as the schedule's, not clause 5.2's.
    const qsizetype at = doc.text.indexOf("one double bed");
    EXPECT_TRUE(make_citation(doc, at, at + 14).label.endsWith("SCHEDULE A"))
        << qPrintable(make_citation(doc, at, at + 14).label);
}

TEST(UnseenStructure, ContentsWithDotLeadersPartsAndAWrappedEntry) {
    // A second Gutenberg-style novel written for the tests: its contents print dot leaders
    // and page numbers (not part of any title), one entry wrapped over two lines, parts
    // above chapters and an epilogue line; every entry names its heading.
    const Document doc = import_document(data_path("lamp-at-ferris-point.pg.txt"));
    const QString ch2 =
        QStringLiteral("Chapter 2. The Harbour Master's House, and What Was Found in It");
    expect_outline(doc.outline, {
                                    {kFront, 0, -1, "Gutenberg header"},
                                    {StructureKind::Contents, 0, -1, "CONTENTS"},
                                    {kEntry, 1, 1, "PART ONE. THE TOWN", 9},
                                    {kEntry, 1, 1, "Chapter 1. Arrival", 10},
                                    {kEntry, 1, 2, ch2, 11},
                                    {kEntry, 1, 2, "PART TWO. THE SEA", 12},
                                    {kEntry, 1, 3, "Chapter 3. Fog", 13},
                                    {kEntry, 1, 4, "Chapter 4. The Lamp", 14},
                                    {kEntry, 1, -1, "Epilogue", 15},
                                    {StructureKind::Part, 0, 1, "PART ONE. THE TOWN"},
                                    {kChapter, 1, 1, "Chapter 1. Arrival"},
                                    {kChapter, 1, 2, ch2},
                                    {StructureKind::Part, 0, 2, "PART TWO. THE SEA"},
                                    {kChapter, 1, 3, "Chapter 3. Fog"},
                                    {kChapter, 1, 4, "Chapter 4. The Lamp"},
                                    {kBack, 0, -1, "EPILOGUE"},
                                    {kBack, 0, -1, "Gutenberg licence"},
                                });
    expect_starts_at_titles(doc);
    // Part two holds chapters 3 and 4 and ends at the epilogue; the licence's "Section 1."
    // is in the licence.
    EXPECT_EQ(doc.outline[12].end, doc.outline[15].start);
    EXPECT_TRUE(doc.text.mid(doc.outline[16].start).contains("Section 1. General Terms"));
}
