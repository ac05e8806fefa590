#!/usr/bin/env bash
# How close three task runners come to the critical path of a diamond of
# sleeping tasks at 4 jobs: runts (`run --jobs 4 top`), GNU make (`make -j4 top`)
# and mise (`mise run --jobs 4 top`), side by side in one hyperfine session.
#
#   base (0.5 s) -> mid1 0.5 s, mid2 1.0 s, mid3 0.5 s, mid4 1.0 s -> top (0.5 s)
#   critical path: base + mid2 + top = 2.0 s
#
# Each runner's real schedule is checked first (a traced run: every task starts
# after all its deps ended, at most 4 at once), then the plain `sleep` graph is
# timed. Medians over RUNS runs (default 10) after a warmup; JSON in
# $RUNTS_BENCH_JSON when set. Goal for runts: median <= 1.05 * critical + 150 ms.
#
#   usage: bench/diamond.sh [runs]
#   needs: hyperfine (apt-get install hyperfine), GNU make, npm (mise is installed
#          on demand with `npm install @jdxcode/mise` into
#          ${XDG_CACHE_HOME:-~/.cache}/runts-bench/mise; MISE_BIN=/path/to/mise uses
#          that binary instead; if mise cannot be had it is left out, with a warning)
set -euo pipefail

runs="${1:-10}"
jobs=4
target=top
# name seconds deps...
graph='base 0.5
mid1 0.5 base
mid2 1.0 base
mid3 0.5 base
mid4 1.0 base
top 0.5 mid1 mid2 mid3 mid4'

repo="$(cd "$(dirname "$0")/.." && pwd)"
case "$runs" in '' | *[!0-9]* | 0) echo "usage: bench/diamond.sh [runs]   (runs: a positive integer, default 10)" >&2; exit 2 ;; esac
command -v hyperfine >/dev/null || { echo "bench/diamond.sh needs hyperfine: apt-get install -y hyperfine" >&2; exit 2; }
command -v make >/dev/null || { echo "bench/diamond.sh needs GNU make: apt-get install -y make" >&2; exit 2; }
command -v node >/dev/null || { echo "bench/diamond.sh needs node" >&2; exit 2; }
[ -f "$repo/dist/cli.js" ] || { echo "bench/diamond.sh: $repo/dist/cli.js is missing; build first: node scripts/build.mjs (or npx run build)" >&2; exit 2; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL MISE_ENV MISE_JOBS

# --- mise: MISE_BIN, else a cached `npm install @jdxcode/mise` -----------------
find_mise() {
  if [ -n "${MISE_BIN:-}" ]; then
    "$MISE_BIN" --version >/dev/null 2>&1 && { echo "$MISE_BIN"; return 0; }
    echo "warning: MISE_BIN=$MISE_BIN does not run" >&2
    return 1
  fi
  local cache="${RUNTS_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runts-bench}/mise"
  local pkg="$cache/node_modules/@jdxcode/mise"
  if ! "$pkg/bin/mise" --version >/dev/null 2>&1; then
    command -v npm >/dev/null || { echo "warning: npm not found, cannot install mise" >&2; return 1; }
    echo "installing mise: npm install --prefix $cache @jdxcode/mise" >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-audit --no-fund --loglevel=error @jdxcode/mise >&2 || {
      echo "warning: npm install @jdxcode/mise failed" >&2
      return 1
    }
    # The binary comes from the package's preinstall script (it installs
    # @jdxcode/mise-<os>-<arch> and links bin/mise). npm versions that hold back
    # install scripts leave bin/mise missing: run that script ourselves.
    if [ ! -x "$pkg/bin/mise" ] && [ -f "$pkg/installArchSpecificPackage.js" ]; then
      echo "running @jdxcode/mise's preinstall (installArchSpecificPackage.js)" >&2
      (cd "$pkg" && npm_config_loglevel=error node installArchSpecificPackage.js >&2) || true
    fi
    "$pkg/bin/mise" --version >/dev/null 2>&1 || { echo "warning: $pkg/bin/mise does not run after install" >&2; return 1; }
  fi
  echo "$pkg/bin/mise"
}
mise="$(find_mise)" || {
  mise=""
  echo "warning: mise is left out of this benchmark (see above)" >&2
}
# Isolated, quiet, offline, no trust prompt, no tool installs, no task caching.
export MISE_DATA_DIR="$dir/mise/data" MISE_CONFIG_DIR="$dir/mise/config" MISE_CACHE_DIR="$dir/mise/cache" \
  MISE_STATE_DIR="$dir/mise/state" MISE_SYSTEM_CONFIG_DIR="$dir/mise/system" MISE_TMP_DIR="$dir/mise/tmp" \
  MISE_TRUSTED_CONFIG_PATHS="$dir" MISE_CEILING_PATHS="$(dirname "$dir")" \
  MISE_YES=1 MISE_OFFLINE=1 MISE_AUTO_INSTALL=false MISE_EXEC_AUTO_INSTALL=false MISE_NOT_FOUND_AUTO_INSTALL=false \
  MISE_TASK_RUN_AUTO_INSTALL=false MISE_TASK_CACHE=off MISE_DISABLE_UPDATE_WARNING=true
mkdir -p "$dir/mise/data" "$dir/mise/config" "$dir/mise/cache" "$dir/mise/state" "$dir/mise/system" "$dir/mise/tmp"

# --- one project folder per mode, holding all three runners' files ------------
# mode "bench": each task is `sleep SECONDS`; mode "trace": `./trace.sh NAME SECONDS`,
# which logs start and end times to trace.log (for checking the schedule only).
write_project() {
  local p="$1" mode="$2" name secs deps cmd d
  mkdir -p "$p/node_modules"
  ln -s "$repo" "$p/node_modules/runts"
  cat >"$p/trace.sh" <<'SH'
#!/bin/sh
log="$(dirname "$0")/trace.log"
echo "start $1 $(date +%s%N)" >>"$log"
sleep "$2"
echo "end $1 $(date +%s%N)" >>"$log"
SH
  chmod +x "$p/trace.sh"
  echo "import { task, parallel, \$ } from 'runts'" >"$p/tasks.config.ts"
  : >"$p/Makefile"
  : >"$p/mise.toml"
  echo ".PHONY: $(echo "$graph" | awk '{printf "%s ", $1}')" >>"$p/Makefile"
  while read -r name secs deps; do
    if [ "$mode" = trace ]; then cmd="./trace.sh $name $secs"; else cmd="sleep $secs"; fi
    # runts: one dep as is, several as one parallel() group (deps run in the order written)
    local tdeps=""
    case "$deps" in
      '') ;;
      *' '*) tdeps="deps: [parallel(${deps// /, })], " ;;
      *) tdeps="deps: [$deps], " ;;
    esac
    echo "export const $name = task({ ${tdeps}run: () => \$\`$cmd\` })" >>"$p/tasks.config.ts"
    printf '%s:%s\n\t%s\n' "$name" "${deps:+ $deps}" "$cmd" >>"$p/Makefile"
    {
      echo "[tasks.$name]"
      echo "run = \"$cmd\""
      if [ -n "$deps" ]; then
        local list=""
        for d in $deps; do list="$list${list:+, }\"$d\""; done
        echo "depends = [$list]"
      fi
      echo
    } >>"$p/mise.toml"
  done <<<"$graph"
}
write_project "$dir/bench" bench
write_project "$dir/trace" trace
printf '%s\n' "$graph" >"$dir/graph.txt"

# --- the commands, as hyperfine -N will split them ----------------------------
names=(runts make)
cmds=("node $(printf %q "$repo/dist/cli.js") --jobs $jobs $target" "make -j$jobs $target")
if [ -n "$mise" ]; then
  names+=(mise)
  cmds+=("$(printf %q "$mise") run --jobs $jobs $target")
fi

echo "node $(node --version), $(make --version | head -n1), $(hyperfine --version)${mise:+, mise $("$mise" --version 2>/dev/null | awk '{print $1}')}"

# --- check each runner's real schedule on the traced graph --------------------
cd "$dir/trace"
echo
echo "schedule (traced run, ms after the first start):"
for i in "${!names[@]}"; do
  rm -f trace.log
  if ! eval "${cmds[$i]}" </dev/null >"$dir/trace-${names[$i]}.out" 2>&1; then
    echo "${names[$i]} failed on the traced graph:" >&2
    cat "$dir/trace-${names[$i]}.out" >&2
    exit 1
  fi
  node - "$dir/graph.txt" trace.log "${names[$i]}" "$jobs" <<'JS'
const fs = require('node:fs')
const [graphFile, logFile, runner, jobs] = process.argv.slice(2)
const graph = fs.readFileSync(graphFile, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/))
const ev = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => l.split(' '))
const t0 = Math.min(...ev.map(([, , ns]) => Number(BigInt(ns) / 1000000n)))
const at = { start: {}, end: {} }
const problems = []
for (const [kind, name, ns] of ev) {
  if (at[kind][name] !== undefined) problems.push(`${name} ran more than once`)
  at[kind][name] = Number(BigInt(ns) / 1000000n) - t0
}
for (const [name, , ...deps] of graph) {
  if (at.start[name] === undefined || at.end[name] === undefined) problems.push(`${name} did not run`)
  for (const d of deps) if (!(at.end[d] <= at.start[name])) problems.push(`${name} started before its dep ${d} ended`)
}
let running = 0, peak = 0
for (const [kind] of ev) peak = Math.max(peak, (running += kind === 'start' ? 1 : -1))
if (peak > Number(jobs)) problems.push(`${peak} tasks ran at once (jobs ${jobs})`)
const order = Object.entries(at.start).sort((a, b) => a[1] - b[1])
console.log(`  ${runner.padEnd(6)} ${order.map(([n, t]) => `${n}@${t}`).join(' ')}  end ${Math.max(...Object.values(at.end))}  peak ${peak}`)
if (problems.length) {
  console.error(`${runner}: the schedule breaks the graph:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
JS
done

# --- time the plain graph -----------------------------------------------------
cd "$dir/bench"
for i in "${!names[@]}"; do eval "${cmds[$i]}" </dev/null >/dev/null 2>&1 || { echo "${names[$i]} failed on the benchmark graph" >&2; exit 1; }; done
args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
echo
hyperfine -N --style basic --warmup 2 --runs "$runs" --output=null --export-json "$dir/result.json" "${args[@]}"
[ -z "${RUNTS_BENCH_JSON:-}" ] || cp "$dir/result.json" "$RUNTS_BENCH_JSON"

node - "$dir/graph.txt" "$dir/result.json" "$jobs" "$runs" <<'JS'
const fs = require('node:fs')
const [graphFile, resultFile, jobs, runs] = process.argv.slice(2)
const graph = fs.readFileSync(graphFile, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/))
const secs = Object.fromEntries(graph.map(([n, s]) => [n, Number(s)]))
const deps = Object.fromEntries(graph.map(([n, , ...d]) => [n, d]))
const memo = {}
const finish = (n) => (memo[n] ??= secs[n] + Math.max(0, ...deps[n].map(finish)))
const critical = Math.max(...graph.map(([n]) => finish(n)))
const goal = 1.05 * critical + 0.15
const { results } = JSON.parse(fs.readFileSync(resultFile, 'utf8'))
const s = (x) => `${x.toFixed(3)} s`
console.log(`\ncritical path ${s(critical)}; ${jobs} jobs; medians of ${runs} runs; goal: median <= 1.05 x critical + 150 ms = ${s(goal)}\n`)
console.log('| runner | median | ratio to critical path | overhead | within 5% + 150 ms |')
console.log('| --- | ---: | ---: | ---: | --- |')
for (const r of results) {
  console.log(`| ${r.command} | ${s(r.median)} | ${(r.median / critical).toFixed(3)} | ${((r.median - critical) * 1000).toFixed(0)} ms | ${r.median <= goal ? 'yes' : 'no'} |`)
}
const runts = results.find((r) => r.command === 'runts')
console.log(`\nrunts ${runts.median <= goal ? 'meets' : 'MISSES'} the goal: median ${s(runts.median)} ${runts.median <= goal ? '<=' : '>'} ${s(goal)}`)
JS
