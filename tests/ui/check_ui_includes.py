#!/usr/bin/env python3
"""ui/ renders app/ state and sends intents: by its includes it reaches app/service and
value types only, never the question-answering internals (PrefixCache, the passage index,
the engine's session). Follows every quoted include from ui/ through app/ and engine/ and
fails naming the chain that reaches a header outside the allowed set."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
search = [root / d for d in ("ui", "app", "app/service", "app/review", "app/qa",
                              "app/documents", "app/diagnostics", "engine")]
# Headers below app/service that ui/ may reach: value types with no behaviour to bypass.
allowed = {
    "app/app_error.h", "app/bundled.h", "app/save_file.h",
    "app/qa/conversation.h", "app/qa/conversation_export.h", "app/qa/run_config.h",
    "app/qa/context_mode.h", "app/diagnostics/chart.h", "app/diagnostics/chart_svg.h",
    "app/diagnostics/heatmap.h", "app/diagnostics/heatmap_svg.h",
    "engine/attention_variant.h", "engine/dtype.h", "engine/kv_type.h",
    "engine/scaling_spec.h",
    # The review panel's session and the values it renders (issue 19).
    "app/review/review_session.h", "app/review/review.h", "app/review/review_prompts.h",
}
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def resolve(name, here):
    for d in [here] + search:
        p = d / name
        if p.is_file():
            return p.resolve()
    return None


def rel(p):
    return p.relative_to(root.resolve()).as_posix()


bad = []
seen = {}
todo = [(p.resolve(), [rel(p.resolve())]) for p in sorted((root / "ui").rglob("*"))
        if p.suffix in (".h", ".cpp")]
while todo:
    path, chain = todo.pop()
    if path in seen:
        continue
    seen[path] = chain
    for name in include.findall(path.read_text(encoding="utf-8")):
        target = resolve(name, path.parent)
        if target is None:
            continue  # a generated or system header
        r = rel(target)
        if r.startswith("ui/") or r.startswith("app/service/") or r.startswith("app/documents/"):
            todo.append((target, chain + [r]))
        elif r in allowed:
            todo.append((target, chain + [r]))
        else:
            bad.append(" -> ".join(chain + [r]))

for b in sorted(set(bad)):
    print("ui/ reaches an app/ internal:", b)
print(f"{len(seen)} headers and sources followed; {len(set(bad))} forbidden includes")
sys.exit(1 if bad else 0)
