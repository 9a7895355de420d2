#!/usr/bin/env bash
# The golden plan documents in a real browser (issue 16): `compplan doc` writes the document of every
# bundled plan (the pages tests/doc.rs snapshots), and each is opened in headless Chromium (Debian's,
# installed when missing), printed to PDF and screenshotted as PNG; its rendered DOM (`--dump-dom`) is
# checked for the plan's name and title, every table the plan declares, the payout curve's chart with
# its SVG title (or the sentence saying why there is none) and the signature block; Chromium's network
# log must show no request made by the page.
# Usage: .ci/doc-browser.sh [COMPPLAN_BINARY]   (default target/release/compplan)
# The PDFs, PNGs and DOMs stay in target/doc-browser/ to be looked at.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/compplan}

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

out=target/doc-browser
rm -rf "$out"
mkdir -p "$out"
"$bin" doc plans --out "$out/pages" 2>/dev/null
checked=0
for plan in plans/*.plan; do
  name=$(sed -n 's/^plan \([A-Za-z0-9_]*\) .*/\1/p' "$plan" | head -n 1)
  [ -n "$name" ] || continue   # the schema and the crediting rules are no plan
  version=$(sed -n 's/^plan [A-Za-z0-9_]* "[^"]*" version \([0-9]*\).*/\1/p' "$plan" | head -n 1)
  file="$name-v${version:-1}"
  page="file://$PWD/$out/pages/$file.html"
  browser=(chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions
    --disable-background-networking --disable-component-update --disable-sync --disable-default-apps
    --user-data-dir="$out/profile-$name")
  "${browser[@]}" --no-pdf-header-footer --print-to-pdf="$out/$file.pdf" "$page" >/dev/null 2>&1
  "${browser[@]}" --window-size=1100,3000 --screenshot="$out/$file.png" "$page" >/dev/null 2>&1
  "${browser[@]}" --log-net-log="$out/$file-net.json" --dump-dom "$page" >"$out/$file-dom.html" 2>/dev/null
  python3 .ci/doc_dom.py "$out/$file-dom.html" "$plan" "$out/$file-net.json" "$out/$file.pdf" "$out/$file.png"
  checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || { echo "no plan document was checked" >&2; exit 1; }
echo "plan documents checked in Chromium: $checked (PDF, PNG and DOM in $out/)"
