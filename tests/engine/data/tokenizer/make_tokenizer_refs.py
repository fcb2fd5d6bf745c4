#!/usr/bin/env python3
"""Reference tokenizations for the byte-level BPE tokenizer tests.

Made with Hugging Face transformers 5.17 / tokenizers 0.23 (on the project's device
machine, which has them; nothing here is needed to build or run the tests):

    python3 make_tokenizer_refs.py --tokenizers ../shared/models/tokenizers \
        --corpus ../shared/corpus --out tests/engine/data/tokenizer

For each tokenizer archive (llama-3.1, qwen3) it writes <name>.refs.json:
  corpus: for every text file of the corpus (PDFs are not text and are left out), the
          first 20,000 characters (code points, line endings kept as they are) of the file
          decoded with the encoding named in the entry, and the ids of
          encode(text, add_special_tokens=False). The text itself is not stored: the test
          reads it from ../shared/corpus the same way.
  cases:  edge cases, each with the ids when special tokens in the text are parsed (HF's
          default, for prompts we build), when they are not (split_special_tokens=True,
          for document text), with add_special_tokens=True (the BOS the tokenizer adds),
          and decode(ids) without clean-up (the exact bytes).
"""
import argparse
import hashlib
import json
import os
import tarfile
import tempfile

from transformers import AutoTokenizer

CORPUS_FILES = [
    # (path under corpus/, encoding)
    ("legal/prc-civil-code-zh.md", "utf-8"),
    ("legal/gpl-3.0.en.txt", "utf-8"),
    ("legal/us-constitution.en.txt", "utf-8"),
    ("novels/journey-to-the-west-xiyouji.gbk.txt", "gb18030"),
    ("novels/journey-to-the-west-xiyouji.utf8.txt", "utf-8"),
    ("novels/journey-to-the-west-ch01-07.utf8.txt", "utf-8"),
    ("novels/pride-and-prejudice-austen.pg1342.cp1252.txt", "cp1252"),
    ("novels/pride-and-prejudice-austen.pg1342.utf8.txt", "utf-8"),
    ("novels/die-verwandlung-kafka-de.pg22367.utf8.txt", "utf-8"),
    ("novels/alice-in-wonderland-carroll.pg11.utf8.txt", "utf-8"),
    ("qa/leval-scientific_qa.jsonl", "utf-8"),
    ("qa/leval-quality.jsonl", "utf-8"),
]
CHARS = 20000

CASES = [
    "", " ", "  ", "   ", "\t", "\n", "\n\n", "\n\n\n", " \n", "\n ", "  \n\n  x",
    "Hello world", " Hello world", "Hello  world", "Hello   world   ", "hello\r\nworld\r\n",
    "a\r\n\r\nb", "line one\n\n\nline two\n", "\t\tindented\n\t\tcode();",
    "1", "12", "123", "1234", "12345678901234567890", "3.14159 and 2,718,281,828",
    "version 1.2.3-rc4 (2024)", "I'm you're we've they'll she'd IT'S DON'T",
    "emoji 😀🎉👍🏽 and 👨‍👩‍👧‍👦 family", "🦙 llama",
    "中华人民共和国民法典", "第一千零四十三条 家庭应当树立优良家风。",
    "孙悟空，齐天大圣！“你好”——《西游记》", "日本語のテキスト、カタカナ、ひらがな。",
    "한국어 텍스트입니다.", "مرحبا بالعالم", "שלום עולם", "Привет, мир! Ёжик.",
    "Ελληνικά κείμενα", "हिन्दी पाठ", "ไทยภาษา",
    "e\u0301 combining acute, n\u0303, A\u030a", "café naïve coöperate", "ﬁ ligature ﬂ",
    "\u00a0non-breaking\u2009thin\u200bzero-width", "x\u200dy\ufeffz",
    "<|begin_of_text|>Hello<|eot_id|>", "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
    "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", "<think>\nok\n</think>",
    "text <|endoftext|> more", "<|fake_token|> and <|im_start", "<s>[INST] hi [/INST]</s>",
    "def f(x):\n    return x ** 2  # square\n", "    four spaces\n        eight",
    "URL https://example.com/a?b=c&d=e#f", "email@example.org, @user #tag $100 €5 ¥3",
    "'s 's 'S 'T 'Re", "...!!!???", "----====____", "a" * 300, " " * 40 + "x",
    "\u0000\u0001 control \u007f chars", "\U0001F600" * 5,
]


def read_prefix(path, encoding):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode(encoding, errors="strict")
    return text[:CHARS]


def load(directory, split_special):
    if split_special:
        return AutoTokenizer.from_pretrained(directory, split_special_tokens=True)
    return AutoTokenizer.from_pretrained(directory)


def refs_for(name, directory, corpus):
    parsed = load(directory, False)
    unparsed = load(directory, True)
    probe = "<|im_start|>" if "qwen" in name else "<|eot_id|>"
    a = parsed.encode(probe, add_special_tokens=False)
    b = unparsed.encode(probe, add_special_tokens=False)
    assert len(a) == 1 and len(b) > 1, (a, b)  # the two modes really differ
    out = {"tokenizer": name, "transformers": __import__("transformers").__version__,
           "tokenizers": __import__("tokenizers").__version__, "chars": CHARS,
           "corpus": [], "cases": []}
    for rel, enc in CORPUS_FILES:
        path = os.path.join(corpus, rel)
        if not os.path.exists(path):
            continue
        text = read_prefix(path, enc)
        ids = unparsed.encode(text, add_special_tokens=False)
        out["corpus"].append({"file": rel, "encoding": enc, "chars": len(text),
                              "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                              "ids": ids})
    for text in CASES:
        ids = parsed.encode(text, add_special_tokens=False)
        out["cases"].append({
            "text": text,
            "ids": ids,
            "ids_unparsed": unparsed.encode(text, add_special_tokens=False),
            "ids_with_bos": parsed.encode(text, add_special_tokens=True),
            "decoded": parsed.decode(ids, skip_special_tokens=False,
                                     clean_up_tokenization_spaces=False),
        })
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizers", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for archive in sorted(os.listdir(args.tokenizers)):
        if not archive.endswith(".tar.xz"):
            continue
        name = archive[: -len(".tar.xz")]
        with tempfile.TemporaryDirectory() as tmp:
            with tarfile.open(os.path.join(args.tokenizers, archive)) as t:
                t.extractall(tmp)
            found = [r for r, _, fs in os.walk(tmp) if "tokenizer.json" in fs]
            refs = refs_for(name, found[0], args.corpus)
        dest = os.path.join(args.out, name + ".refs.json")
        with open(dest, "w", encoding="utf-8") as f:
            json.dump(refs, f, ensure_ascii=False, separators=(",", ":"))
        print(dest, sum(len(c["ids"]) for c in refs["corpus"]), "corpus ids,",
              len(refs["cases"]), "cases")


if __name__ == "__main__":
    main()
