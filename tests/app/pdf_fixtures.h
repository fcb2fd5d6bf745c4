// Tiny hand-written PDFs for the import tests: pages of Helvetica text placed at given
// positions, optionally with an /Encrypt entry, so layouts (columns, headers, hyphens) and
// hostile cases can be built without any tool.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace lltest {

struct PdfText {
    double x, y;  // PDF user space: origin bottom-left, points
    QByteArray text;
    double size = 11;
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
inline QByteArray make_pdf(const QList<PdfPage>& pages, bool encrypt = false) {
    QList<QByteArray> objects;  // object i+1
    const int n = int(pages.size());
    // 1: catalog, 2: pages, 3: font, then per page: page object, content stream.
    objects.append("<< /Type /Catalog /Pages 2 0 R >>");
    QByteArray kids;
    for (int i = 0; i < n; ++i) kids += QByteArray::number(4 + 2 * i) + " 0 R ";
    objects.append("<< /Type /Pages /Kids [" + kids + "] /Count " + QByteArray::number(n) + " >>");
    objects.append(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (int i = 0; i < n; ++i) {
        QByteArray stream;
        for (const PdfText& t : pages[i])
            stream += "BT /F1 " + QByteArray::number(t.size) + " Tf " + QByteArray::number(t.x) +
                      " " + QByteArray::number(t.y) + " Td (" + escape_pdf_string(t.text) +
                      ") Tj ET\n";
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
            "<< /F1 3 0 R >> >> /Contents " +
            QByteArray::number(5 + 2 * i) + " 0 R >>");
        objects.append("<< /Length " + QByteArray::number(stream.size()) + " >>\nstream\n" +
                       stream + "endstream");
    }
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
