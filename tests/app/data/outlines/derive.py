#!/usr/bin/env python3
"""Writes the expected outlines of the structure test set from the documents themselves,
without LongLens: the headings are found by reading the sources (plain text, Markdown) or
poppler-utils' `pdftotext -layout` (PDFs, one page per form feed), each classified by its
own words (编 part, 分编 subpart, 章 chapter, 节 section, 条 article; ARTICLE, SECTION.,
AMENDMENT; numbered paper sections). The files it writes were then read against the
documents by hand; rerun only to re-derive them.

Line format (test_structure_set.cpp prints the importer's outline the same way):
    kind L<level> #<number> '<title>' [p. <printed page>]
Titles are the heading line with runs of white space made one space; a heading that runs
into its text (a 条, "SECTION. 1. All legislative …") is titled by its first 40
characters and "…"; in a PDF, where the article runs on over lines, by its name alone."""
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[4] / "shared"
ZH_DIGITS = "〇零一二两三四五六七八九十百千万"

ZH_VAL = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
ZH_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def zh_number(s):
    total, digit = 0, 0
    for c in s:
        if c in ZH_VAL:
            digit = ZH_VAL[c]
        else:
            total += (digit or 1) * ZH_UNIT[c]
            digit = 0
    return total + digit


def roman(s):
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    n = 0
    for a, b in zip(s, s[1:] + " "):
        n += -vals[a] if vals.get(b, 0) > vals[a] else vals[a]
    return n


def simplified(s):
    return " ".join(s.split())


def run_in(s):
    s = simplified(s)
    return s[:40] + "…" if len(s) > 40 else s


def with_levels(nodes, rank_of):
    ranks = sorted({rank_of[k] for k, *_ in nodes if rank_of[k] is not None})
    out = []
    for kind, number, title, page in nodes:
        # Contents entries sit under their list; matter beside the outermost headings.
        level = (1 if kind == "contents-entry" else
                 0 if rank_of[kind] is None else ranks.index(rank_of[kind]))
        line = f"{kind} L{level} #{number} '{title}'"
        if page is not None:
            line += f" p. {page}"
        out.append(line)
    return out


ZH_RANKS = {"title": 0, "part": 10, "subpart": 20, "chapter": 30, "section": 40,
            "article": 50, "supplementary": 10, "contents": None, "contents-entry": None}


def zh_heading(line):
    """(kind, number, title) of a Chinese legal heading line, or None."""
    t = simplified(line)
    if t.replace(" ", "") == "附则":
        return ("supplementary", -1, t)
    m = re.match(rf"^第([{ZH_DIGITS}]+)(分编|编|章|节|条)", t)
    if not m:
        return None
    kind = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section", "条": "article"}[m[2]]
    # "第二节的有关规定。" at a line start is a sentence that cites a section.
    if kind != "article" and re.search("[。，；]", t):
        return None
    return (kind, zh_number(m[1]), t)


def civil_code_md():
    nodes = []
    for line in (SHARED / "corpus/legal/prc-civil-code-zh.md").read_text().splitlines():
        md = re.match(r"^(#+)\s*(.*)$", line)
        text = md[2] if md else line
        h = zh_heading(text)
        if h and h[0] == "article":
            # 条 headings carry their text; "第十条的规定" in running text is a reference.
            if not re.match(rf"^第[{ZH_DIGITS}]+条[\s\u3000]", text):
                continue
            nodes.append(("article", h[1], run_in(text), None))
        elif h and md:
            nodes.append((h[0], h[1], h[2], None))
        elif md and text.strip():
            nodes.append(("title", -1, simplified(text), None))
    return with_levels(nodes, ZH_RANKS)


def pdf_pages(rel):
    out = subprocess.run(["pdftotext", "-layout", str(SHARED / rel), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")


def civil_code_pdf():
    pages = pdf_pages("corpus/legal/prc-civil-code-zh.pdf")
    nodes, contents, in_contents = [], [], False
    for p, page in enumerate(pages):
        for line in page.splitlines():
            t = simplified(line)
            if t.replace(" ", "") == "目录":
                in_contents = True
                nodes.append(("contents", -1, "目录", p + 1))
                continue
            h = zh_heading(t)
            if not h:
                continue
            kind, number, title = h
            if kind == "article":
                if not re.match(rf"^第[{ZH_DIGITS}]+条\s", t):
                    continue
                in_contents = False
                nodes.append(("article", number, title.split(" ")[0], p + 1))
                continue
            first = next((e for e in nodes if e[0] == "contents-entry"), None)
            if in_contents and first and first[2] == title:
                in_contents = False  # the list's first line again: the body begins
            if in_contents:
                nodes.append(("contents-entry", number, title, p + 1))
            else:
                nodes.append((kind, number, title, p + 1))
    return with_levels(nodes, ZH_RANKS)


def us_constitution():
    nodes = []
    for line in (SHARED / "corpus/legal/us-constitution.en.txt").read_text().splitlines():
        if line == "PREAMBLE":
            nodes.append(("front-matter", -1, line, None))
        elif m := re.match(r"^ARTICLE ([IVX]+)$", line):
            nodes.append(("article", roman(m[1]), line, None))
        elif m := re.match(r"^AMENDMENT ([IVX]+)$", line):
            nodes.append(("amendment", roman(m[1]), line, None))
        elif m := re.match(r"^SECTION\. (\d+)\. (.*)$", line):
            nodes.append(("section", int(m[1]), run_in(line), None))
    return with_levels(nodes, {"front-matter": None, "article": 35, "amendment": 35,
                               "section": 40})


def main():
    for name, lines in (("prc-civil-code-zh.md", civil_code_md()),
                        ("prc-civil-code-zh.pdf", civil_code_pdf()),
                        ("us-constitution.en.txt", us_constitution())):
        (HERE / (name + ".outline")).write_text("\n".join(lines) + "\n")
        print(name, len(lines))


if __name__ == "__main__":
    main()
