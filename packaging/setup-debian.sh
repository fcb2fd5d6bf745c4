#!/usr/bin/env bash
# Installs every Debian 12 package LongLens needs to build, test and run.
# Idempotent; uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-qpa-plugins  # Qt 6: Core, Concurrent, Sql, Widgets
  libpoppler-qt6-dev                 # PDF text with word boxes, page rendering
  libopenblas-dev                    # GEMM for prefill
  libsentencepiece-dev               # the Llama tokenizer
  nlohmann-json3-dev                 # config.json / tokenizer_config.json / fixtures
  libzip-dev                         # EPUB containers
  libuchardet-dev                    # encoding detection: Cyrillic, Greek, Japanese, Korean … text
  libpcre2-dev                       # Unicode-property regexes of byte-level BPE pre-tokenizers (JIT)
  libutf8proc-dev                    # NFC normalisation (Qwen's tokenizer) from Unicode's own tables
  libgtest-dev                       # engine and app tests
  python3                            # the check of what ui/ includes; bench/ scripts
  xvfb xauth                         # GUI tests and screenshots without a display
  fonts-noto-cjk fonts-dejavu-core   # CJK and Latin text in the GUI
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-debian: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
