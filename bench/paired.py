#!/usr/bin/env python3
"""LongLens against llama.cpp on the same GGUF files, in one run (issue 14, point 4).

Makes a TinyLlama-1.1B-shaped F16 GGUF with random weights (longlens-bench make-model, the
real Llama sentencepiece vocabulary so llama.cpp loads it), quantises it with llama.cpp's
own llama-quantize to each type asked for (never with our quantiser), then runs both
engines on each file, one after the other:
  prefill 512 / decode 128   llama-bench -p 512 -n 128   vs  longlens-bench speed
  prefill 4096, decode at    llama-batched-bench          vs  longlens-bench speed
  4096 tokens of context     -npp 4096 -ntg 32 -npl 1         --prompt-tokens 4096
Both use the same thread count and an f16 KV cache (llama.cpp's default). Prints one JSON
object per measurement, then a Markdown table with our / llama.cpp ratios and the cpu
share of every run (CPU time / (wall time x threads); 1.0 = the run had its cores to
itself; for llama.cpp it is over the whole process, model loading included).

  bench/paired.py --llama-bin DIR [--bench build/bench/longlens-bench] [--work DIR]
                  [--types f16,q4_0,q4_k_m,q5_k_m,q6_k,q8_0] [--threads 2] [--reps 3]
                  [--parts short,long] [--quick] [--json FILE] [--markdown FILE]

--parts: which pairs to run, `short` (prefill 512 / decode 128), `long` (4096), or both
(the default); a part not run shows "-" in the table.
--quick: the `small` shape (4 layers, dim 256) and short runs (prefill 128 / decode 32,
1024-token context), to check that everything works; its numbers mean little.
Model files go to --work (default build-perf/paired, outside git): F16 TinyLlama is 2.2 GB.
Python 3 standard library only.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TYPES = "f16,q4_0,q4_k_m,q5_k_m,q6_k,q8_0"


def run(cmd, threads):
    """Runs cmd; returns (stdout, wall seconds, cpu share of its process tree)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.stdout, wall, cpu / (wall * threads)


def make_models(args, sizes):
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    f16 = work / f"{sizes['shape']}-f16.gguf"
    if not f16.exists():
        print(f"# writing {f16}", file=sys.stderr)
        run([args.bench, "make-model", "--shape", sizes["shape"], "--type", "f16", "--vocab",
             args.vocab, "--out", str(f16)], 1)
    files = {}
    for t in args.types.split(","):
        path = work / f"{sizes['shape']}-{t}.gguf"
        if t != "f16" and not path.exists():
            print(f"# llama-quantize {t}", file=sys.stderr)
            run([str(Path(args.llama_bin) / "llama-quantize"), str(f16), str(path), t.upper()], 1)
        files[t] = path
    return files


def llama_short(args, model, sizes):
    out, _, share = run([str(Path(args.llama_bin) / "llama-bench"), "-m", str(model),
                         "-p", str(sizes["pp"]), "-n", str(sizes["tg"]), "-t", str(args.threads),
                         "-r", str(args.reps), "-o", "json"], args.threads)
    rows = json.loads(out)
    build = rows[0].get("build_commit", "?")
    pp = next(r["avg_ts"] for r in rows if r["n_prompt"] > 0 and r["n_gen"] == 0)
    tg = next(r["avg_ts"] for r in rows if r["n_gen"] > 0 and r["n_prompt"] == 0)
    return {"prefill_tok_s": pp, "decode_tok_s": tg, "cpu_share": share, "build_commit": build}


def llama_long(args, model, sizes):
    ctx = sizes["long"] + sizes["long_tg"]
    out, _, share = run([str(Path(args.llama_bin) / "llama-batched-bench"), "-m", str(model),
                         "-c", str(ctx), "-b", "2048", "-ub", "512", "-npp", str(sizes["long"]),
                         "-ntg", str(sizes["long_tg"]), "-npl", "1", "-t", str(args.threads),
                         "-tb", str(args.threads), "--output-format", "jsonl"], args.threads)
    row = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    return {"prefill_tok_s": row["speed_pp"], "decode_tok_s": row["speed_tg"], "cpu_share": share}


def ours(args, model, pp, tg):
    out, _, _ = run([args.bench, "speed", "--model", str(model), "--prompt-tokens", str(pp),
                     "--gen-tokens", str(tg), "--threads", str(args.threads), "--kv", "f16",
                     "--json"], args.threads)
    j = json.loads(out.strip().splitlines()[-1])
    return {"prefill_tok_s": j["prefill_tok_s"], "decode_tok_s": j["decode_tok_s"],
            "prefill_cpu_share": j["prefill_cpu_share"], "decode_cpu_share": j["decode_cpu_share"],
            "simd": j["simd"]}


def cell(o, l, key):
    if o is None or l is None:
        return "-"
    return f"{o[key]:.1f} / {l[key]:.1f} ({o[key] / l[key]:.2f}x)"


def shares(o, l):
    if o is None or l is None:
        return "-"
    return f"{o['prefill_cpu_share']:.2f}/{o['decode_cpu_share']:.2f} vs {l['cpu_share']:.2f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--llama-bin", required=True, help="folder with llama-bench, llama-quantize...")
    p.add_argument("--bench", default=str(REPO / "build/bench/longlens-bench"))
    p.add_argument("--work", default=str(REPO / "build-perf/paired"))
    p.add_argument("--vocab", default=str(REPO / "../shared/models/vocab/ggml-vocab-llama-spm.gguf"))
    p.add_argument("--types", default=DEFAULT_TYPES)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reps", type=int, default=3, help="llama-bench repetitions")
    p.add_argument("--parts", default="short,long", help="short, long or both")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", help="also write the JSON lines here")
    p.add_argument("--markdown", help="also write the table here")
    args = p.parse_args()
    sizes = ({"shape": "small", "pp": 128, "tg": 32, "long": 1024, "long_tg": 16} if args.quick
             else {"shape": "tinyllama", "pp": 512, "tg": 128, "long": 4096, "long_tg": 32})

    parts = set(args.parts.split(","))
    if not parts or not parts <= {"short", "long"}:
        sys.exit("--parts: short, long or short,long")
    files = make_models(args, sizes)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    host = {"longlens_commit": commit, "load_average_start": os.getloadavg(),
            "threads": args.threads, **sizes}
    records = []
    for t, model in files.items():
        print(f"# {t}: llama.cpp, then longlens", file=sys.stderr)
        rec = {"type": t, "file": str(model), "load_average": os.getloadavg()}
        if "short" in parts:
            rec["llama_short"] = llama_short(args, model, sizes)
            rec["ours_short"] = ours(args, model, sizes["pp"], sizes["tg"])
        if "long" in parts:
            rec["llama_long"] = llama_long(args, model, sizes)
            rec["ours_long"] = ours(args, model, sizes["long"], sizes["long_tg"])
        records.append(rec)
        print(json.dumps(rec), flush=True)
    host["load_average_end"] = os.getloadavg()
    print(json.dumps({"host": host}), flush=True)

    pp, tg, lg = sizes["pp"], sizes["tg"], sizes["long"]
    lines = [f"| file | prefill {pp} tok/s, ours / llama.cpp | decode {tg} | prefill {lg} | "
             f"decode at {lg} | cpu share {pp}/{tg}: ours pp/tg vs llama.cpp | cpu share {lg} |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in records:
        os_, ls = r.get("ours_short"), r.get("llama_short")
        ol, ll = r.get("ours_long"), r.get("llama_long")
        lines.append(f"| {r['type'].upper()} | {cell(os_, ls, 'prefill_tok_s')} | "
                     f"{cell(os_, ls, 'decode_tok_s')} | {cell(ol, ll, 'prefill_tok_s')} | "
                     f"{cell(ol, ll, 'decode_tok_s')} | {shares(os_, ls)} | {shares(ol, ll)} |")
    table = "\n".join(lines)
    print(table)
    if args.json:
        Path(args.json).write_text("".join(json.dumps(r) + "\n" for r in records + [{"host": host}]))
    if args.markdown:
        Path(args.markdown).write_text(table + "\n")


if __name__ == "__main__":
    main()
