#!/bin/sh
# Seed corpora for the fuzzers, built from ../shared and the repository's own fixtures into
# DIR (default build-fuzz/seeds): whole small files, the first 16 KiB of large texts. Read
# in place, copied only into the build folder, never into the repository. FUZZERS is the
# folder of the built targets (default DIR/../tests/fuzz): the session-file and library
# targets write their own seed (a real cache file, a filled library) when asked.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${LONGLENS_SHARED_DIR:-$src/../shared}
out=${1:-$src/build-fuzz/seeds}
fuzzers=${2:-$out/../tests/fuzz}
for d in gguf safetensors tokenizer_json text markdown sentencepiece session epub pdf library \
  conversation cli_options; do mkdir -p "$out/$d"; done
cp "$shared"/models/vocab/*.gguf "$out/gguf/"
for g in "$src"/tests/engine/data/arch/*/*.gguf; do cp "$g" "$out/gguf/$(basename "$(dirname "$g")").gguf"; done
for s in "$src"/tests/engine/data/arch/*/hf/model.safetensors; do
  cp "$s" "$out/safetensors/$(basename "$(dirname "$(dirname "$s")")").safetensors"
done
for t in "$src"/tests/engine/data/arch/*/hf/tokenizer.json; do
  cp "$t" "$out/tokenizer_json/$(basename "$(dirname "$(dirname "$t")")").json"
done
for f in "$shared"/corpus/novels/*.txt "$shared"/corpus/legal/*.txt; do
  head -c 16384 "$f" > "$out/text/$(basename "$f")"
done
head -c 32768 "$shared/corpus/legal/prc-civil-code-zh.md" > "$out/markdown/civil-code.md"
cp "$src"/resources/sample/*.md "$out/markdown/"
head -c 16384 "$shared/corpus/MANIFEST.md" > "$out/markdown/manifest.md"

# sentencepiece: stories260K's tokenizer (7.5 KB), the bundled model's and Llama 2's.
cp "$shared/models/stories260K/tok512.model" "$out/sentencepiece/stories260K.model"
cp "$src/resources/model/tokenizer.model" "$out/sentencepiece/bundled.model"
cp "$shared/models/llama2-tokenizer/tokenizer.model" "$out/sentencepiece/llama2.model"

# Written by the targets themselves, through the real writers.
LONGLENS_FUZZ_SEED="$out/session/stories260K-24-tokens" "$fuzzers/fuzz_session_file"
LONGLENS_FUZZ_SEED="$out/library/library.sqlite" "$fuzzers/fuzz_library_store"

# EPUB as the members fuzz_epub archives: container, OPF (EPUB 3 nav and EPUB 2 NCX), two
# chapters of each novel's opening.
epub() {  # NAME TEXT-FILE
  {
    printf '@@ mimetype\napplication/epub+zip\n'
    printf '@@ META-INF/container.xml\n<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n'
    printf '@@ OEBPS/content.opf\n<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest><item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/></manifest><spine toc="ncx"><itemref idref="c1"/><itemref idref="c2"/><itemref idref="c1"/></spine></package>\n'
    printf '@@ OEBPS/nav.xhtml\n<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><nav><ol><li><a href="text/one.xhtml">Chapter I</a></li><li><a href="text/two.xhtml#x">Chapter II</a></li></ol></nav></body></html>\n'
    printf '@@ OEBPS/toc.ncx\n<?xml version="1.0"?><ncx><navMap><navPoint><navLabel><text>One</text></navLabel><content src="text/one.xhtml"/></navPoint></navMap></ncx>\n'
    for part in one two; do
      printf '@@ OEBPS/text/%s.xhtml\n<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title><style>p{}</style></head><body><h1>Chapter %s</h1>' "$part" "$part"
      head -c 3000 "$2" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/^/<p>/; s/$/<\/p>/' | tr -d '\r\n'
      printf '</body></html>\n'
    done
  } > "$out/epub/$1"
}
epub alice "$shared/corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt"
epub xiyouji "$shared/corpus/novels/journey-to-the-west-ch01-07.utf8.txt"

# PDF: the first pages of ../shared's PDFs as they are (when poppler-utils is there), and
# placed text for fuzz_pdf's records (x, y, size, flags, length, text).
if command -v pdfseparate >/dev/null 2>&1; then
  for p in "$shared"/corpus/papers/*.pdf "$shared"/corpus/legal/*.pdf; do
    pdfseparate -f 1 -l 1 "$p" "$out/pdf/$(basename "$p" .pdf)-p1.pdf" 2>/dev/null || true
  done
fi
python3 - "$out/pdf" <<'EOF'
import sys
def rec(x, y, size, flags, text):
    t = text.encode("latin-1")[:255]
    return bytes([x, y, size, flags, len(t)]) + t
paper = (rec(60, 240, 14, 0, "1 INTRODUCTION") +
         rec(30, 220, 7, 0, "Long context models read whole books. We extend the win-") +
         rec(30, 215, 7, 0, "dow of a trained model with position interpolation.") +
         rec(140, 220, 7, 0, "A second column starts here and continues") +
         rec(140, 215, 7, 0, "below with more text of the second column.") +
         rec(120, 8, 5, 0, "3") +
         rec(60, 240, 14, 2, "2 METHOD") + rec(30, 220, 7, 4, "S P A C E D words") +
         rec(30, 30, 3, 0, "1 A footnote at the foot of the page.") + rec(120, 8, 5, 0, "4"))
open(sys.argv[1] + "/placed-paper", "wb").write(paper)
law = b"".join(rec(30, 240 - 8 * i, 7, 2 if i % 5 == 4 else 0, f"Article {i + 1}. The text of article {i + 1}.")
               for i in range(12))
open(sys.argv[1] + "/placed-articles", "wb").write(bytes([30, 240, 7, 16, 0]) + law)
EOF

# Conversations: first byte 0 a conversation file, 1 a settings file, 2 the JSON forms.
printf '\000{"document_path":"/home/r/alice.txt","document_hash":"abc123","turns":[{"question":"Who?","answer":"The Rabbit.","end":"eos","partial":false,"citations":[{"start":10,"end":40,"page":2,"label":"p. 2","text":"Oh dear","score":0.5}],"model":"m.gguf","scaling":"yarn:factor=4","asked":"2026-12-01T10:00:00.000Z"}]}' > "$out/conversation/cli-turns"
printf '\000{"document":"/home/r/code.pdf","exchanges":[{"question":"Q","answer":"A","citations":[{"start":1,"end":2,"page":0,"label":"Art. 1","text":"x","score":1}],"model":"m","scaling":"none","asked":"2026-12-01T10:00:00","complete":true,"note":"n"}]}' > "$out/conversation/gui-exchanges"
printf '\001[library]\nsize=2\n1\\path=/home/r/a.txt\n1\\title=A\n1\\detail=Plain text\n2\\path=/home/r/b.pdf\n2\\title=B\n' > "$out/conversation/library-list"
printf '\002{"id":3,"question":"Q","answer":"A","citations":[{"start":0,"end":5,"page":1,"label":"l","text":"t","score":0.3}],"asked":"2026-12-01T10:00:00.000Z","complete":true,"note":"","run_config":{"model":"/m.gguf","scaling":"yarn:factor=4","rope_theta":500000,"attention":"window:size=512","kv":"q8_0","context":"retrieve","window":4096,"threads":2},"runs":[{"config":{"kv":"f32"},"status":"done","answer":"x"}]}' > "$out/conversation/answer-json"

# CLI options: argv split at NUL.
argv() {  # NAME ARG...
  name=$1
  shift
  printf '%s\0' "$@" > "$out/cli_options/$name"
}
argv ask --model /m.gguf --scaling yarn:factor=4,original_max_position_embeddings=512 --ctx 4096 \
  --kv q8_0 --threads 2 "Who is late?"
argv qa --rope-theta 500000 --attention sinks:sinks=4,window=256 -n 64 --mode retrieve \
  --template llama3 --attention-layers 1,2,3
argv compare --run "kv=f32;scaling=linear:factor=2" \
  --run "model=/x.gguf;context=full;window=2048;threads=4" --temp 0.7 --top-p 0.9 --top-k 40 \
  --depth 0.25 --cache-limit 512
