"""Training samples: language modelling on the corpus plus synthetic long-document tasks.

Every sample is exactly `length + 1` token ids (BOS first) with a weight per id; the model
reads ids[:-1] and is scored on ids[1:] with weights[1:]. Pieces are encoded separately and
concatenated; with this tokenizer (no dummy prefix, whitespace-split pieces, "\\n" its own
token) that equals encoding the whole text, so the engine sees the same ids at inference.

Task prompts (the evaluation and the engine test use exactly these strings):
  passkey   INTRO + filler + "\\n" + NEEDLE + "\\n" + filler + QUESTION  ->  " 58213." EOS
  kv        several "The code for WORD is DIGITS." lines in filler; asks one of them
  article   consecutive Civil Code articles; "问：第N条规定了什么？\\n答：" -> the article
  span      a passage; asks for the sentence that begins with its first words -> sentence
"""
import re

import numpy as np

from corpus_split import load_split

PASSKEY_INTRO = ("There is an important piece of information hidden in this text. "
                 "Find it and remember it.\n")
PASSKEY_NEEDLE = "The pass key is {key}. Remember it. {key} is the pass key."
PASSKEY_QUESTION = "\nWhat is the pass key? The pass key is"
KV_NEEDLE = "The code for {word} is {key}."
KV_QUESTION = "\nWhat is the code for {word}? The code for {word} is"
ARTICLE_QUESTION = "\n问：{num}规定了什么？\n答："
SPAN_QUESTION = {"en": '\nQuestion: Quote the sentence that begins with "{start}".\nAnswer:',
                 "zh": "\n问：请原文引用以“{start}”开头的句子。\n答："}

# The app's prompt frame for base models (app/qa/chat_template.cpp, Plain): phase 3 trains
# every task in it too, so `longlens-cli ask` and the GUI get quoted answers.
PLAIN_DOC = "Document:\n"
PLAIN_QUESTION = "\n\nQuestion: {q}\nAnswer:"
ARTICLE_PLAIN_Q = ("{num}规定了什么？", "{num}规定了什么?", "{num}的内容是什么？", "请引用{num}。",
                   "What does {num} say?")

W_FILLER = 0.5   # language-modelling weight of filler tokens inside task samples
W_ANSWER = 4.0   # weight of the answer tokens

_ARTICLE_RE = re.compile(r"^(第[零一二三四五六七八九十百千]+条)[\s\u3000]+(.*)$")
_SENT_EN = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z\"'“‘(])")
_SENT_ZH = re.compile(r"(?<=[。！？；])")


class Corpus:
    def __init__(self, sp, corpus_dir):
        self.sp = sp
        self.plain_share = 0.0  # share of task samples in the app's Plain frame (phase 3)
        self.bos, self.eos = sp.bos_id(), sp.eos_id()
        self.nl = sp.piece_to_id("\n")
        streams, langs, sentences, words = [], [], [], set()
        self.articles = []  # (number text, token ids of "第N条 text")
        for name, lang, train, _held in load_split(corpus_dir):
            lines = train.split("\n")
            ids = []
            for toks in sp.encode(lines):
                ids.extend(toks)
                ids.append(self.nl)
            streams.append(np.array(ids, dtype=np.int32))
            langs.append("zh" if lang == "zh" else "en")
            # sentences for the span task, from prose lines
            for line in lines:
                if len(line) < 20:
                    continue
                parts = _SENT_ZH.split(line) if lang == "zh" else _SENT_EN.split(line)
                for s in parts:
                    s = s.strip()
                    if (10 <= len(s) <= 200 if lang == "zh" else 40 <= len(s) <= 300):
                        sentences.append((lang, s))
                if lang == "en":
                    words.update(w.lower() for w in re.findall(r"\b[A-Za-z]{4,9}\b", line))
            if name.startswith("prc-civil-code"):
                cur = None
                for line in lines:
                    m = _ARTICLE_RE.match(line)
                    if m:
                        if cur:
                            self.articles.append(cur)
                        cur = [m.group(1), line]
                    elif cur and line and not line.startswith("#"):
                        cur[1] += "\n" + line
                    elif cur and line.startswith("#"):
                        self.articles.append(cur)
                        cur = None
                if cur:
                    self.articles.append(cur)
        self.article_ids = [np.array(self.enc(t + "\n"), dtype=np.int32) for _n, t in self.articles]
        self.streams, self.langs = streams, langs
        self.sizes = np.array([len(s) for s in streams], dtype=np.float64)
        self.sentences = sentences
        self.words = sorted(words)
        print(f"corpus: {int(self.sizes.sum())} train tokens in {len(streams)} texts, "
              f"{len(self.articles)} articles, {len(sentences)} sentences, {len(self.words)} words",
              flush=True)

    def enc(self, text):
        return self.sp.encode(text)

    # -- pieces ------------------------------------------------------------------------
    def filler(self, rng, n, lang=None):
        """n consecutive training tokens from one text (chosen by size, or of one language)."""
        if n <= 0:
            return np.zeros(0, dtype=np.int32)
        p = self.sizes.copy()
        if lang is not None:
            p *= np.array([l == lang for l in self.langs], dtype=np.float64)
        p *= (self.sizes > n + 1)
        if p.sum() == 0:
            p = (self.sizes > n + 1).astype(np.float64)
        d = rng.choice(len(self.streams), p=p / p.sum())
        s = self.streams[d]
        a = rng.integers(0, len(s) - n)
        return s[a:a + n]

    @staticmethod
    def digits(rng, lo=4, hi=7):
        k = int(rng.integers(lo, hi + 1))
        first = str(rng.integers(1, 10))
        return first + "".join(str(x) for x in rng.integers(0, 10, size=k - 1))

    def assemble(self, length, parts):
        """parts: list of (ids, weight). Pads (weight 0) or trims filler to length+1 ids."""
        ids = np.concatenate([np.asarray(p, dtype=np.int32) for p, _w in parts])
        w = np.concatenate([np.full(len(p), wt, dtype=np.float32) for p, wt in parts])
        n = length + 1
        if len(ids) > n:
            raise ValueError("sample too long")
        pad = n - len(ids)
        ids = np.concatenate([ids, np.full(pad, self.eos, dtype=np.int32)])
        w = np.concatenate([w, np.zeros(pad, dtype=np.float32)])
        return ids, w

    # -- tasks -------------------------------------------------------------------------
    def lm(self, rng, length):
        ids = np.concatenate([[self.bos], self.filler(rng, length)])
        return ids.astype(np.int32), np.ones(length + 1, dtype=np.float32)

    def _planted(self, rng, length, head, needles, question, answer):
        """BOS head filler needle filler needle ... filler question answer EOS."""
        fixed = 1 + len(head) + sum(len(x) + 2 for x in needles) + len(question) + len(answer) + 1
        budget = length + 1 - fixed
        if budget < 8:
            raise ValueError("window too small")
        fill = self.filler(rng, budget)
        cuts = np.sort(rng.integers(0, budget + 1, size=len(needles)))
        parts = [([self.bos], 0.0), (head, W_FILLER)]
        prev = 0
        order = rng.permutation(len(needles))
        for c, k in zip(cuts, order):
            parts += [(fill[prev:c], W_FILLER), ([self.nl], W_FILLER), (needles[k], W_FILLER),
                      ([self.nl], W_FILLER)]
            prev = c
        parts += [(fill[prev:], W_FILLER), (question, W_FILLER), (answer, W_ANSWER),
                  ([self.eos], W_ANSWER)]
        return self.assemble(length, parts)

    def plain(self, rng):
        return self.plain_share > 0 and rng.random() < self.plain_share

    def passkey(self, rng, length, plain=None):
        key = self.digits(rng)
        plain = self.plain(rng) if plain is None else plain
        head = PLAIN_DOC + PASSKEY_INTRO if plain else PASSKEY_INTRO
        q = PLAIN_QUESTION.format(q="What is the pass key?") if plain else PASSKEY_QUESTION
        return self._planted(rng, length, self.enc(head),
                             [self.enc(PASSKEY_NEEDLE.format(key=key))],
                             self.enc(q), self.enc(" " + key + "."))

    def kv(self, rng, length):
        n = int(rng.integers(2, 7))
        idx = rng.choice(len(self.words), size=n, replace=False)
        words = [self.words[i] for i in idx]
        keys = [self.digits(rng) for _ in words]
        needles = [self.enc(KV_NEEDLE.format(word=w, key=k)) for w, k in zip(words, keys)]
        j = int(rng.integers(0, n))
        if self.plain(rng):
            return self._planted(rng, length, self.enc(PLAIN_DOC), needles,
                                 self.enc(PLAIN_QUESTION.format(q=f"What is the code for {words[j]}?")),
                                 self.enc(" " + keys[j] + "."))
        return self._planted(rng, length, [], needles,
                             self.enc(KV_QUESTION.format(word=words[j])),
                             self.enc(" " + keys[j] + "."))

    def article(self, rng, length):
        t = int(rng.integers(0, len(self.articles)))
        num, text = self.articles[t]
        answer = self.article_ids[t][:-1][:96]  # the article without its newline, capped
        plain = self.plain(rng)
        head = self.enc(PLAIN_DOC) if plain else []
        if plain:
            qt = ARTICLE_PLAIN_Q[int(rng.integers(0, len(ARTICLE_PLAIN_Q)))].format(num=num)
            question = self.enc(PLAIN_QUESTION.format(q=qt))
            answer = np.concatenate([self.enc(" "), answer]).astype(np.int32)
        else:
            question = self.enc(ARTICLE_QUESTION.format(num=num))
        budget = length + 1 - 1 - len(head) - len(question) - len(answer) - 1
        # articles before and after the target, the target at a random place
        lo = hi = t
        total = len(self.article_ids[t])
        want_before = int(rng.integers(0, max(1, budget)))
        while lo > 0 and total + len(self.article_ids[lo - 1]) <= min(budget, want_before + len(self.article_ids[t])):
            lo -= 1
            total += len(self.article_ids[lo])
        while hi + 1 < len(self.articles) and total + len(self.article_ids[hi + 1]) <= budget:
            hi += 1
            total += len(self.article_ids[hi])
        while lo > 0 and total + len(self.article_ids[lo - 1]) <= budget:
            lo -= 1
            total += len(self.article_ids[lo])
        if total > budget:
            raise ValueError("window too small")
        parts = [([self.bos], 0.0), (head, W_FILLER)]
        parts += [(self.article_ids[i], W_FILLER) for i in range(lo, hi + 1)]
        parts += [(question, W_FILLER), (answer, W_ANSWER), ([self.eos], W_ANSWER)]
        return self.assemble(length, parts)

    def span(self, rng, length):
        lang, sent = self.sentences[int(rng.integers(0, len(self.sentences)))]
        plain = self.plain(rng)
        if plain:
            start = sent[:int(rng.integers(4, 9))] if lang == "zh" else " ".join(sent.split()[:int(rng.integers(3, 7))])
            q = PLAIN_QUESTION.format(q=f'Quote the sentence that begins with "{start}".')
            a = " " + sent
        elif lang == "zh":
            start = sent[:int(rng.integers(4, 9))]
            q, a = SPAN_QUESTION["zh"].format(start=start), sent
        else:
            w = sent.split()
            start = " ".join(w[:int(rng.integers(3, 7))])
            q, a = SPAN_QUESTION["en"].format(start=start), " " + sent
        sent_ids, q_ids, a_ids = self.enc(sent), self.enc(q), self.enc(a)
        lang_key = "zh" if lang == "zh" else None
        head = self.enc(PLAIN_DOC) if plain else []
        fixed = 1 + len(head) + len(sent_ids) + 2 + len(q_ids) + len(a_ids) + 1
        budget = length + 1 - fixed
        if budget < 8:
            raise ValueError("window too small")
        fill = self.filler(rng, budget, lang_key)
        c = int(rng.integers(0, budget + 1))
        parts = [([self.bos], 0.0), (head, W_FILLER), (fill[:c], W_FILLER), ([self.nl], W_FILLER), (sent_ids, W_FILLER),
                 ([self.nl], W_FILLER), (fill[c:], W_FILLER), (q_ids, W_FILLER), (a_ids, W_ANSWER),
                 ([self.eos], W_ANSWER)]
        return self.assemble(length, parts)


TASKS = ("lm", "passkey", "kv", "article", "span")


def make_batch(corpus, seed, phase, step, batch, length, mix, plain_share=0.0):
    """Deterministic batch `step` of a phase: (ids int32 [B, L+1], weights float32 [B, L+1])."""
    rng = np.random.default_rng([seed, phase, step])
    corpus.plain_share = plain_share
    names = list(mix)
    p = np.array([mix[k] for k in names], dtype=np.float64)
    ids = np.empty((batch, length + 1), dtype=np.int32)
    ws = np.empty((batch, length + 1), dtype=np.float32)
    for b in range(batch):
        while True:
            task = names[rng.choice(len(names), p=p / p.sum())]
            try:
                ids[b], ws[b] = getattr(corpus, task)(rng, length)
                break
            except ValueError:
                continue
    return ids, ws
