"""Trains LongLens's bilingual sentencepiece BPE tokenizer on the training parts of the corpus.

    python3 train_tokenizer.py --corpus DIR --out DIR/tokenizer.model [--vocab 16000]

Choices, all so that the engine (which runs the sentencepiece library on tokenizer.model)
and this pipeline see the same ids:
  - unk=0, bos=1, eos=2, no pad piece; byte_fallback, so no text is ever <unk>;
  - identity normalisation (no NFKC: full-width Chinese punctuation stays as written, so
    quoted articles come back verbatim), extra whitespace kept, no dummy prefix — encoding
    a text line by line then equals encoding it whole;
  - "\\n" is a user-defined piece, always its own token; digits are split one per token
    (pass keys and article numbers are copied digit by digit).
"""
import argparse
import os
import random
import tempfile

import sentencepiece as spm

from corpus_split import load_split


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True, help="path of the tokenizer.model to write")
    ap.add_argument("--vocab", type=int, default=16000)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 4)
    args = ap.parse_args()

    lines = []
    for _name, _lang, train, _held in load_split(args.corpus):
        lines.extend(l for l in train.split("\n") if l)
    random.Random(args.seed).shuffle(lines)
    spm.set_random_generator_seed(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "input.txt")
        with open(inp, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        prefix = os.path.join(tmp, "sp")
        spm.SentencePieceTrainer.train(
            input=inp,
            model_prefix=prefix,
            vocab_size=args.vocab,
            model_type="bpe",
            character_coverage=0.9995,
            byte_fallback=True,
            split_digits=True,
            unk_id=0,
            bos_id=1,
            eos_id=2,
            pad_id=-1,
            normalization_rule_name="identity",
            remove_extra_whitespaces=False,
            add_dummy_prefix=False,
            allow_whitespace_only_pieces=True,
            user_defined_symbols=["\n"],
            max_sentence_length=32768,
            shuffle_input_sentence=False,
            num_threads=args.threads,
        )
        with open(prefix + ".model", "rb") as f:
            blob = f.read()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(blob)

    sp = spm.SentencePieceProcessor(model_file=args.out)
    nl = sp.piece_to_id("\n")
    assert nl != sp.unk_id(), "newline piece missing"
    ids = sp.encode("a\nb")
    assert nl in ids, f"newline not its own token: {ids}"
    whole = sp.encode("It is a truth.\nThe pass key is 58213. 第一千零四十三条 家庭")
    parts = sp.encode("It is a truth.") + [nl] + sp.encode("The pass key is 58213. 第一千零四十三条 家庭")
    assert whole == parts, (whole, parts)
    print("tokenizer:", sp.get_piece_size(), "pieces; newline id", nl,
          "; sample:", [sp.id_to_piece(i) for i in sp.encode("The pass key is 58213.")])


if __name__ == "__main__":
    main()
