"""Evaluates the shipped model with LongLens's own engine (longlens-cli), not PyTorch.

    python3 eval_engine.py --cli build/app/longlens-cli --model resources/model \\
        --corpus ../shared/corpus [--cases 20] [--lengths 512,2048,4096] [--json out.json]

Pass-key retrieval: the prompt is PASSKEY_INTRO + held-out filler (the last 5 % of every
corpus text, never trained on) with the needle on its own line at depth (i+0.5)/cases +
PASSKEY_QUESTION, sized (by bisection) to the largest that leaves BOS + 8 generated tokens
in the target length; greedy decoding; a case passes when the first number generated is the pass key. Each
length runs with the config's scaling (YaRN x8) and with --scaling none.
Perplexity: `longlens-cli perplexity --json` on held-out texts at the same lengths.
Pure Python, no third-party imports.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_split import load_split  # noqa: E402

# the strings the model was trained with (tasks.py); kept here so this runs without numpy
PASSKEY_INTRO = ("There is an important piece of information hidden in this text. "
                 "Find it and remember it.\n")
PASSKEY_NEEDLE = "The pass key is {key}. Remember it. {key} is the pass key."
PASSKEY_QUESTION = "\nWhat is the pass key? The pass key is"


def cli(args, *extra):
    cmd = [args.cli, *extra]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed: {r.stderr[-500:]}")
    return r.stdout


def n_tokens(args, text):
    out = cli(args, "tokenize", "--model", args.model, "--text", text).strip()
    return len(out.split()) if out else 0


def passkey_prompt(args, pool, length, key, depth, rng):
    """A prompt of at most length - 9 tokens (BOS and 8 answer tokens fit in `length`) with
    the key at `depth`; the filler length is found by bisection on characters (the text
    mixes English and Chinese, so tokens per character vary along the pool)."""
    needle = PASSKEY_NEEDLE.format(key=key)
    target = length - 9
    start = rng.randrange(0, len(pool) // 2)

    def build(chars):
        filler = pool[start:start + chars]
        cut = filler.rfind("\n", 0, max(1, int(len(filler) * depth)) + 1)
        cut = cut if cut > 0 else int(len(filler) * depth)
        return (PASSKEY_INTRO + filler[:cut].rstrip("\n") + "\n" + needle + "\n" +
                filler[cut:].lstrip("\n") + PASSKEY_QUESTION)

    lo, hi, best = 0, target * 6, None
    while hi - lo > 4:
        mid = (lo + hi) // 2
        text = build(mid)
        n = n_tokens(args, text)
        if n <= target:
            lo, best = mid, (text, n)
        else:
            hi = mid
    if best is None:
        raise RuntimeError(f"no prompt fits {length} tokens")
    return best


def run_passkey(args, pool, length, scaling, cases):
    ok, rows = 0, []
    for i in range(cases):
        rng = random.Random(f"{args.seed}-{length}-{i}")
        key = str(rng.randrange(10000, 100000))
        depth = (i + 0.5) / cases
        prompt, n = passkey_prompt(args, pool, length, key, depth, rng)
        extra = ["--scaling", scaling] if scaling else []
        t0 = time.time()
        out = cli(args, "generate", "--model", args.model, "--prompt", prompt, "--temp", "0",
                  "-n", "8", *extra)
        dt = time.time() - t0
        tail = out[out.rfind("The pass key is") + len("The pass key is"):]
        m = re.match(r"\s*(\d+)", tail)
        got = m.group(1) if m else tail.strip()[:12]
        ok += got == key
        rows.append({"tokens": n, "depth": round(depth, 3), "key": key, "got": got, "seconds": round(dt, 2)})
    return ok / cases, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--lengths", default="512,2048,4096")
    ap.add_argument("--scalings", default="config;none",
                    help="';'-separated: config (the file's), or a --scaling spec such as none")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-perplexity", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    lengths = [int(x) for x in args.lengths.split(",")]
    split = load_split(args.corpus)
    pool = "\n".join(held for _n, _l, _t, held in split)
    results = {"passkey": {}, "perplexity": {}}
    for length in lengths:
        for sc in args.scalings.split(";"):
            acc, rows = run_passkey(args, pool, length, None if sc == "config" else sc, args.cases)
            results["passkey"][f"{length}/{sc}"] = {"accuracy": acc, "cases": rows}
            print(f"passkey len {length} scaling {sc}: {acc*100:.0f}% "
                  f"({sum(r['got'] == r['key'] for r in rows)}/{len(rows)}), "
                  f"{sum(r['seconds'] for r in rows)/len(rows):.1f} s/case", flush=True)
    if not args.no_perplexity:
        with tempfile.TemporaryDirectory() as tmp:
            for name, _lang, _train, held in split:
                f = os.path.join(tmp, name + ".txt")
                with open(f, "w", encoding="utf-8") as fh:
                    fh.write(held)
                for length in lengths:
                    for sc in args.scalings.split(";"):
                        extra = [] if sc == "config" else ["--scaling", sc]
                        try:
                            out = cli(args, "perplexity", "--model", args.model, "--file", f,
                                      "--ctx", str(length), "--json", *extra)
                            r = json.loads(out)
                        except (RuntimeError, json.JSONDecodeError) as e:
                            r = {"error": str(e)[-200:]}
                        results["perplexity"][f"{name}/{length}/{sc}"] = r
                        print(f"perplexity {name} ctx {length} scaling {sc}: {r}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
