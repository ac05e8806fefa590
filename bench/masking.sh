#!/usr/bin/env bash
# Throughput cost of secret masking: `run` streaming 100 MB of command output
# with three secrets defined (each masked in all its forms) against the same
# run with no secret variables at all. Medians of hyperfine runs, side by side.
#   usage: bench/masking.sh [runs]      (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
runs="${1:-21}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "bench/masking.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -f "$repo/dist/cli.js" ] || { echo "build first: npx run build" >&2; exit 2; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/node_modules"
ln -s "$repo" "$dir/node_modules/runts"
cat > "$dir/tasks.config.ts" <<'TS'
import { task, $ } from 'runts'
export const flood = task(() => $`head -c 100000000 < <(yes 'lorem ipsum dolor sit amet, consectetur adipiscing elit 0123456789 the quick brown fox')`)
TS
cd "$dir"
node "$repo/dist/cli.js" flood >/dev/null 2>&1 # compile the tasks file once

base="env -i PATH=/usr/bin:/bin HOME=$HOME"
secrets="API_TOKEN=tok_9f8e7d6c5b4a DB_PASSWORD=correct-horse-battery NPM_AUTH=abcdefghijkl"
hyperfine -N --warmup 2 --runs "$runs" --output=null --export-json "$dir/result.json" \
  -n 'no secrets' "$base node $repo/dist/cli.js flood" \
  -n '3 secrets' "$base $secrets node $repo/dist/cli.js flood"
node -e '
  const [a, b] = require(process.argv[1]).results
  const ms = (s) => (s * 1000).toFixed(0) + " ms"
  console.log(`\nmedian: no secrets ${ms(a.median)}, 3 secrets ${ms(b.median)}; ratio ${(b.median / a.median).toFixed(3)} (goal: at most 1.10)`)
' "$dir/result.json"
