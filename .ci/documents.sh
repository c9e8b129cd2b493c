#!/usr/bin/env bash
# What the document tests read the minutes and letters with, as a chair would open them:
# headless Chromium prints the HTML to PDF and poppler's pdftotext reads it back; python-docx
# reads the Word files. The tests require them when CI is set.
set -euo pipefail
start=$(date +%s)
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium poppler-utils >/dev/null
fi
if ! python3 -c "import docx" >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check python-docx 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages python-docx
fi
echo "documents: chromium, poppler-utils and python-docx ready in $(( $(date +%s) - start )) s"
