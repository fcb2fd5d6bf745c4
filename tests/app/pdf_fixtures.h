// Tiny hand-written PDFs for the import tests: pages of Helvetica text placed at given
// positions, optionally bold, letter-spaced, with an /Encrypt entry or with printed page
// labels (/PageLabels, which Qt's own PDF writer cannot emit), so layouts (columns,
// headers, hyphens) and hostile cases can be built without any tool.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace lltest {

struct PdfText {
    double x, y;  // PDF user space: origin bottom-left, points
    QByteArray text;
    double size = 11;
    bool bold = false;
    double char_spacing = 0;  // Tc: extra space after every glyph, in points
};

using PdfPage = QList<PdfText>;

inline QByteArray escape_pdf_string(const QByteArray& s) {
    QByteArray out;
    for (char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// A complete PDF (Letter-size pages). `encrypt` adds a standard-security /Encrypt
// dictionary that no empty password opens.
// `page_labels`: the /PageLabels number tree's entries, e.g. "0 << /S /r >> 2 << /S /D >>"
// (pages i, ii, then 1, 2, …).
inline QByteArray make_pdf(const QList<PdfPage>& pages, bool encrypt = false,
                           const QByteArray& page_labels = {}) {
    QList<QByteArray> objects;  // object i+1
    const int n = int(pages.size());
    // 1: catalog, 2: pages, 3: font, then per page: page object, content stream; the bold
    // font last.
    const QByteArray bold_font = QByteArray::number(4 + 2 * n);
    objects.append(
        "<< /Type /Catalog /Pages 2 0 R" +
        (page_labels.isEmpty() ? QByteArray() : " /PageLabels << /Nums [" + page_labels + "] >>") +
        " >>");
    QByteArray kids;
    for (int i = 0; i < n; ++i) kids += QByteArray::number(4 + 2 * i) + " 0 R ";
    objects.append("<< /Type /Pages /Kids [" + kids + "] /Count " + QByteArray::number(n) + " >>");
    objects.append(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (int i = 0; i < n; ++i) {
        QByteArray stream;
        for (const PdfText& t : pages[i])
            stream += QByteArray("BT ") + (t.bold ? "/F2 " : "/F1 ") + QByteArray::number(t.size) +
                      " Tf " + QByteArray::number(t.char_spacing) + " Tc " +
                      QByteArray::number(t.x) + " " + QByteArray::number(t.y) + " Td (" +
                      escape_pdf_string(t.text) + ") Tj ET\n";
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
            "<< /F1 3 0 R /F2 " +
            bold_font + " 0 R >> >> /Contents " + QByteArray::number(5 + 2 * i) + " 0 R >>");
        objects.append("<< /Length " + QByteArray::number(stream.size()) + " >>\nstream\n" +
                       stream + "endstream");
    }
    objects.append(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding "
        ">>");
    if (encrypt)
        objects.append(
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
            "/O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef> "
            "/U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >>");
    QByteArray pdf = "%PDF-1.4\n";
    QList<qsizetype> offsets;
    for (int i = 0; i < objects.size(); ++i) {
        offsets.append(pdf.size());
        pdf += QByteArray::number(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const qsizetype xref = pdf.size();
    pdf += "xref\n0 " + QByteArray::number(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (qsizetype off : offsets)
        pdf += QByteArray::number(off).rightJustified(10, '0') + " 00000 n \n";
    pdf += "trailer\n<< /Size " + QByteArray::number(objects.size() + 1) + " /Root 1 0 R";
    if (encrypt)
        pdf += " /Encrypt " + QByteArray::number(objects.size()) +
               " 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]";
    pdf += " >>\nstartxref\n" + QByteArray::number(xref) + "\n%%EOF\n";
    return pdf;
}

}  // namespace lltest
