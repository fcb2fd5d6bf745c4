"""Reads the training corpus and splits each text into a training part and a held-out part.

Pure Python (no third-party imports) so that the engine-side evaluation can use the very
same split on a machine without PyTorch. The held-out part is the last HELDOUT_FRACTION of
each file's lines, after Project Gutenberg headers/footers are dropped.
"""
import os

HELDOUT_FRACTION = 0.05

# file name -> language tag ("en", "de", "zh"); only these files are read.
FILES = {
    "pride-and-prejudice-austen.pg1342.utf8.txt": "en",
    "alice-in-wonderland-carroll.pg11.utf8.txt": "en",
    "us-constitution.en.txt": "en",
    "gpl-3.0.en.txt": "en",
    "die-verwandlung-kafka-de.pg22367.utf8.txt": "de",
    "journey-to-the-west-xiyouji.utf8.txt": "zh",
    "prc-civil-code-zh.md": "zh",
}


def _clean_lines(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    start, end = 0, len(lines)
    for i, line in enumerate(lines):
        if line.startswith("*** START OF"):
            start = i + 1
        elif "*** END OF" in line:
            end = i
            break
    out = []
    for line in lines[start:end]:
        line = line.strip().replace("\t", " ")
        if line or (out and out[-1]):  # keep single blank lines as paragraph breaks
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def find_file(corpus_dir, name):
    """The file in corpus_dir, or in its novels/ or legal/ subfolder (shared/corpus layout)."""
    for sub in ("", "novels", "legal"):
        p = os.path.join(corpus_dir, sub, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"{name} not found under {corpus_dir}")


def load_split(corpus_dir):
    """[(name, lang, train_text, heldout_text)] in a fixed order."""
    out = []
    for name, lang in FILES.items():
        with open(find_file(corpus_dir, name), encoding="utf-8") as f:
            lines = _clean_lines(f.read())
        cut = int(len(lines) * (1.0 - HELDOUT_FRACTION))
        out.append((name, lang, "\n".join(lines[:cut]), "\n".join(lines[cut:])))
    return out
