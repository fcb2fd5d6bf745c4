#!/usr/bin/env python3
"""Time to the first answer token through the app's own path, beside the engine alone.

One document, one question, one model file, three ways, one after the other:
  engine  longlens-bench speed --prompt-tokens P --gen-tokens 1   (P: the CLI's prompt length)
  cli     longlens-cli ask --no-cache --json -n 1                  (prefill_s + decode_s)
  gui     longlens --open DOC --ask Q --log-progress under xvfb-run, fresh XDG folders (no
          document cache); the time of the first "answer ... at T s" line, counted from
          the moment the window asked.
All three use the same KV type (--kv, default f16) and thread count. Reports seconds, the
ratio to the engine and each run's cpu share (process CPU / (wall x threads)); a share well
under 1.0 means the machine was busy and the ratio says little.

The runs alternate (cli, engine, cli, engine, ...) so that both see the same load, and each
records the load average it started at; the CLI runs with --no-library (nothing is kept).

  bench/app_path.py --model M [--doc resources/sample/keepers-notebook.md]
                    [--question Q] [--threads 2] [--kv f16] [--runs 2] [--no-gui] [--json F]
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(cmd, env=None):
    """Runs cmd; returns (stdout, wall seconds, cpu seconds of its process tree)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.stdout, wall, cpu


def last_json(text):
    return json.loads(text[text.index("{"):text.rindex("}") + 1])


def cli_run(args):
    out, wall, cpu = run([args.cli, "ask", "--model", args.model, "--doc", args.doc, "--no-cache",
                          "--no-library", "--kv", args.kv, "--threads", str(args.threads), "-n",
                          "1", "--json", args.question])
    t = last_json(out)["timing"]
    first = t["prefill_s"] + t["decode_s"]
    return {"first_token_s": first, "prompt_tokens": t["prefill_tokens"],
            "cpu_share": cpu / (wall * args.threads)}


def engine_run(args, prompt_tokens):
    out, wall, cpu = run([args.bench, "speed", "--model", args.model, "--prompt-tokens",
                          str(prompt_tokens), "--gen-tokens", "1", "--threads", str(args.threads),
                          "--kv", args.kv, "--json"])
    r = last_json(out)
    first = prompt_tokens / r["prefill_tok_s"] + r["decode_ms_per_token"] / 1000.0
    return {"first_token_s": first, "cpu_share": r["prefill_cpu_share"]}


def gui_run(args):
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env[name] = str(Path(home) / name)
        env["LONGLENS_THREADS"] = str(args.threads)
        out, wall, cpu = run(["xvfb-run", "-a", args.gui, "--model", args.model, "--open",
                              args.doc, "--ask", args.question, "--log-progress",
                              "--quit-when-done"], env)
    m = re.search(r"^answer \d+ tokens at ([0-9.]+) s$", out, re.M)
    if not m:
        sys.exit("the GUI printed no answer line:\n" + out[-2000:])
    return {"first_token_s": float(m.group(1)), "cpu_share": cpu / (wall * args.threads)}


def best(runs):
    return min(runs, key=lambda r: r["first_token_s"])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--doc", default=str(REPO / "resources/sample/keepers-notebook.md"))
    p.add_argument("--question", default="What is the code for the cellar?")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--kv", default="f16")
    p.add_argument("--runs", type=int, default=2, help="best of this many runs each")
    p.add_argument("--bench", default=str(REPO / "build/bench/longlens-bench"))
    p.add_argument("--cli", default=str(REPO / "build/longlens-cli"))
    p.add_argument("--gui", default=str(REPO / "build/longlens"))
    p.add_argument("--no-gui", action="store_true")
    p.add_argument("--json", help="also write the result here")
    args = p.parse_args()

    clis, engines = [], []
    for _ in range(args.runs):
        load = os.getloadavg()[0]
        clis.append({**cli_run(args), "load_average": load})
        load = os.getloadavg()[0]
        engines.append({**engine_run(args, clis[-1]["prompt_tokens"]), "load_average": load})
    cli, engine = best(clis), best(engines)
    result = {"model": args.model, "doc": args.doc, "kv": args.kv, "threads": args.threads,
              "prompt_tokens": cli["prompt_tokens"], "engine": engine, "cli": cli,
              "runs": {"cli": clis, "engine": engines}}
    if not args.no_gui:
        result["gui"] = best([gui_run(args) for _ in range(args.runs)])
    print(json.dumps(result))
    print(f"\nfirst answer token after {cli['prompt_tokens']} prompt tokens (best of {args.runs}):")
    for name in ("engine", "cli", "gui"):
        if name in result:
            r = result[name]
            print(f"  {name:6s} {r['first_token_s']:7.2f} s  "
                  f"({r['first_token_s'] / engine['first_token_s']:.2f}x engine, "
                  f"cpu share {r['cpu_share']:.2f}, load average {r.get('load_average', 0):.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
