#!/usr/bin/env bash
# The golden statements in a real browser (issue 16): each page of tests/statement.rs's golden cases is
# opened in headless Chromium (Debian's, installed when missing), printed to PDF and screenshotted as
# PNG, and its rendered DOM (`--dump-dom`) is checked for the total, every payout line `run` pays and
# the chart titles; Chromium's network log must show no request made by the page (the browser's own
# background requests are told apart by their network isolation key, which names no file://).
# Usage: .ci/statement-browser.sh [COMPPLAN_BINARY]   (default target/release/compplan)
# The PDFs, PNGs and DOMs stay in target/statement-browser/ to be looked at.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/compplan}

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

out=target/statement-browser
rm -rf "$out"
mkdir -p "$out"
checked=0
for case in "2026-03 alice enterprise_ae" "2026-05 bob enterprise_ae" "2026-Q1 pia partner"; do
  read -r period rep plan <<<"$case"
  "$bin" statement plans --data plans/data --period "$period" --rep "$rep" --out "$out/pages-$rep" 2>/dev/null
  page="file://$PWD/$out/pages-$rep/$period-$rep-$plan.html"
  browser=(chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions
    --disable-background-networking --disable-component-update --disable-sync --disable-default-apps
    --user-data-dir="$out/profile-$rep")
  "${browser[@]}" --no-pdf-header-footer --print-to-pdf="$out/$rep.pdf" "$page" >/dev/null 2>&1
  "${browser[@]}" --window-size=1100,2000 --screenshot="$out/$rep.png" "$page" >/dev/null 2>&1
  "${browser[@]}" --log-net-log="$out/$rep-net.json" --dump-dom "$page" >"$out/$rep-dom.html" 2>/dev/null
  "$bin" run plans --data plans/data --period "$period" --rep "$rep" --format csv >"$out/$rep-payouts.csv"
  python3 .ci/statement_dom.py "$out/$rep-dom.html" "$out/$rep-payouts.csv" "$out/$rep-net.json" \
    "$out/$rep.pdf" "$out/$rep.png"
  checked=$((checked + 1))
done
echo "statement pages checked in Chromium: $checked (PDF, PNG and DOM in $out/)"
