#!/usr/bin/env bash
# Tests of the VS Code extension, run by .ci/run: installs the locked npm packages, then checks the client
# parses, the grammar's scope assertions (test/grammar/*.test.plan), the grammar's snapshots of the example plans
# (test/snap/NAME.plan.tmsnap over plans/NAME.plan), and the Node tests (test/*.test.js: manifest, grammar properties over
# every plan of the repository, the client against the real vscode-languageclient and a fake server).
#
#   editors/vscode/test.sh                      run everything
#   editors/vscode/test.sh --update-snapshots   rewrite test/snap/ from the current grammar (then review the diff)
set -euo pipefail
cd "$(dirname "$0")"

update=0
case "${1:-}" in
  "") ;;
  --update-snapshots) update=1 ;;
  *) echo "usage: $0 [--update-snapshots]" >&2; exit 64 ;;
esac

npm ci --no-audit --no-fund --loglevel=error >/dev/null

echo "== node --check extension.js"
node --check extension.js

echo "== grammar scope assertions"
node_modules/.bin/vscode-tmgrammar-test --config package.json 'test/grammar/*.test.plan'

echo "== grammar snapshots of the example plans"
# The snapshot tool reads and writes FILE.snap beside each FILE and accepts a missing one as new, so the plans
# and the committed snapshots are copied to a scratch folder, and every plan must already have its snapshot.
# They are kept as .tmsnap so that insta (the Rust snapshot tool) never takes them for its own.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
missing=0
for plan in ../../plans/*.plan; do
  name=$(basename "$plan")
  cp "$plan" "$scratch/$name"
  if [ -f "test/snap/$name.tmsnap" ]; then
    cp "test/snap/$name.tmsnap" "$scratch/$name.snap"
  elif [ "$update" = 0 ]; then
    echo "missing test/snap/$name.tmsnap: run $0 --update-snapshots and review it" >&2
    missing=1
  fi
done
for snap in test/snap/*.tmsnap; do
  [ -e "$snap" ] || continue
  if [ ! -f "../../plans/$(basename "$snap" .tmsnap)" ]; then
    echo "$snap has no plan in plans/: delete it" >&2
    missing=1
  fi
done
[ "$missing" = 0 ]
if [ "$update" = 1 ]; then
  node_modules/.bin/vscode-tmgrammar-snap --config package.json --updateSnapshot "$scratch/*.plan"
  mkdir -p test/snap
  for snap in "$scratch"/*.plan.snap; do
    cp "$snap" "test/snap/$(basename "$snap" .snap).tmsnap"
  done
else
  node_modules/.bin/vscode-tmgrammar-snap --config package.json "$scratch/*.plan"
fi

echo "== node tests"
node --test test/*.test.js
