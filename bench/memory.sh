#!/usr/bin/env bash
# Peak memory (the runner process's max RSS, /usr/bin/time) while a task streams 1 GiB of command
# output into a pipe, side by side with `node -e 0`, `run noop`, and a zx script (zx keeps every chunk
# of a command's output). Medians of several runs each.
#   usage: bench/memory.sh [runs] [bytes]     (needs /usr/bin/time: apt-get install time)
set -euo pipefail
runs="${1:-5}"
bytes="${2:-1073741824}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ -x /usr/bin/time ] || { echo "bench/memory.sh needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -f "$repo/dist/cli.js" ] || { echo "build first: npx run build" >&2; exit 2; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/node_modules"
ln -s "$repo" "$dir/node_modules/runts"
cat > "$dir/tasks.config.ts" <<TS
import { task, \$ } from 'runts'
export const noop = task(() => {})
export const big = task(() => \$\`head -c $bytes /dev/zero\`)
TS
cat > "$dir/zx-big.mjs" <<JS
import { \$ } from '$repo/node_modules/zx/build/core.js'
await \$({ verbose: true, log: (e) => { if (e.kind === 'stdout') process.stdout.write(e.data) } })\`head -c $bytes /dev/zero\`
JS
cd "$dir"
node "$repo/dist/cli.js" noop >/dev/null 2>&1 # compile the tasks file once

# Max RSS in MiB of one command, its stdout read by a pipe (a reader, as in `run big | gzip`).
peak() { /usr/bin/time -f %M -o "$dir/rss" bash -c "$1 | cat > /dev/null" 2>/dev/null; echo $(( $(cat "$dir/rss") / 1024 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
row() {
  local name="$1" command="$2" values=()
  for _ in $(seq "$runs"); do values+=("$(peak "$command")"); done
  printf '| %s | %s |\n' "$name" "$(printf '%s\n' "${values[@]}" | median)"
}
echo "| command ($((bytes / 1048576)) MiB through a task; medians of $runs runs) | peak RSS (MiB) |"
echo "| --- | ---: |"
row 'node -e 0' 'node -e 0'
row 'run noop' "node $repo/dist/cli.js noop"
row 'run big' "node $repo/dist/cli.js big"
row 'zx script, the same command' "node $dir/zx-big.mjs"
