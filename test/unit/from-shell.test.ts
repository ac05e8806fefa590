// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected texts are generated TypeScript, placeholders included
import { describe, expect, it } from 'vitest'
import { convertTasksFile } from '../../src/init/from/index.js'

const convert = (text: string, file = 'run.sh') => convertTasksFile(file, text)

describe('run --init --from run.sh', () => {
  it('names tasks as the dispatcher calls them: its task: prefix is not part of the name', async () => {
    const c = await convert(
      '#!/bin/bash\nset -e\ntask:build() { echo b; }\ntask:publish:test() { echo p; }\nhelper() { :; }\ntask:"${@:-help}"\n',
    )
    expect(c.tasks).toEqual(['build', 'publish:test'])
    expect(c.source).toContain("name: 'publish:test'")
    expect(c.source).not.toContain('helper') // not callable by the dispatcher, and called by no task
  })

  it('takes the prefix off the names when the dispatch line calls through a variable, at the top or in main', async () => {
    const top = await convert('run:docs:build() { echo d; }\nrun:test() { echo t; }\ncmd=${1:-help}\nshift || true\nrun:"$cmd" "$@"\n')
    expect(top.tasks).toEqual(['docs:build', 'test'])
    expect(top.source).toContain("name: 'docs:build'")
    const main = await convert('task_lint() { echo l; }\nmain() {\n  local name="$1"\n  shift\n  "task_$name" "$@"\n}\nmain "$@"\n')
    expect(main.tasks).toEqual(['lint'])
    expect(main.dropped.map((d) => d.what)).toEqual(['main "$@"', 'main()'])
  })

  it('turns leading calls into deps in order, and a body of calls into a pipeline', async () => {
    const c = await convert(
      'set -e\nlint() { echo l; }\nbuild() { echo b; }\nrelease() {\n  lint\n  build\n}\nci() {\n  lint\n  echo done\n}\n"$@"\n',
    )
    expect(c.source).toMatch(/export const release = task\(\{\n {2}deps: \[lint, build\],\n\}\)/)
    expect(c.source).toMatch(/export const ci = task\(\{\n {2}deps: \[lint\],\n {2}run: \(\) => \$`echo done`,/)
  })

  it('keeps calls as calls without set -e, since bash goes on after a failing one; an && chain still becomes deps', async () => {
    const c = await convert('lint() { false; }\nreport() {\n  lint\n  echo report\n}\nall() { lint && report; }\n"$@"\n')
    expect(c.source).toMatch(/export const all = task\(\{\n {2}deps: \[lint, report\],/)
    expect(c.source).toContain('lint\n    echo report') // report's body calls lint in bash
    expect(c.source).toContain('run: ({ args }) => sh`lint ${args}`') // lint is defined once, in the prelude
    expect(c.source).not.toContain('const prelude = `set -e')
  })

  it('passes the task arguments as "$@", $1, $*', async () => {
    const c = await convert('set -euo pipefail\ntest() { pytest "$@"; }\ngreet() { echo "hi ${1:-you}"; }\n"$@"\n')
    expect(c.source).toContain('run: ({ args }) => $`pytest ${args}`')
    expect(c.source).toContain('set -- ${args}\n    echo "hi \\${1:-you}"')
  })

  it('drops what runts does itself, says what replaces it, and lists it', async () => {
    const text = [
      '#!/usr/bin/env bash',
      'set -ex',
      'cd "$(dirname "$0")"',
      'load_dot_env() { set -a; source .env; set +a; }',
      'help() { compgen -A function; }',
      'deploy() {',
      '  load_dot_env',
      '  echo "$TOKEN"',
      '}',
      'TIMEFORMAT=%R',
      'time "${@:-help}"',
    ].join('\n')
    const c = await convert(text)
    expect(c.tasks).toEqual(['deploy'])
    expect(c.dropped.map((d) => d.what)).toEqual([
      'set -ex',
      'cd "$(dirname "$0")"',
      'TIMEFORMAT=%R',
      'time "${@:-help}"',
      'load_dot_env()',
      'help()',
    ])
    expect(c.dropped.find((d) => d.what === 'set -ex')?.why).toContain('run -x')
    expect(c.dropped.find((d) => d.what === 'load_dot_env()')?.why).toContain('loads .env')
    for (const d of c.dropped) expect(c.source).toContain(`// - ${d.what}: ${d.why}`)
    expect(c.source).not.toContain('load_dot_env\n')
  })

  it('says set -e is left out only when no script of the prelude keeps it', async () => {
    const plain = await convert('set -euo pipefail\nbuild() { echo b; }\n"$@"\n')
    expect(plain.source).not.toContain('prelude')
    expect(plain.dropped.map((d) => d.what)).toContain('set -euo pipefail')
    const kept = await convert('set -e\nNAME=x\nbuild() { echo "$NAME"; }\n"$@"\n')
    expect(kept.source).toContain('const prelude = `set -e\nNAME=x\n`')
    expect(kept.dropped.map((d) => d.what)).not.toContain('set -e')
    expect(kept.source).not.toContain('// - set -e')
    // Of `set -ex` with a prelude, only -x is dropped: said so, since the prelude shows `set -e`.
    const traced = await convert('set -ex\nNAME=x\nbuild() { echo "$NAME"; }\n"$@"\n')
    expect(traced.source).toContain('const prelude = `set -e\nNAME=x\n`')
    expect(traced.dropped).toEqual([
      expect.objectContaining({
        what: 'set -ex',
        why: expect.stringMatching(/run -x TASK.*\(its -e stays: the prelude starts with it\)$/),
      }),
      expect.objectContaining({ what: '"$@"' }),
    ])
  })

  it('says so above a task that reads the terminal, itself or through a helper, and not when its input is given', async () => {
    const c = await convert(
      [
        'set -e',
        '_confirm() { read -r -p "$1 [y/N] " answer; [[ $answer == y ]]; }',
        'publish() {\n  _confirm "Publish?"\n  echo up\n}',
        'ask() { select x in a b; do break; done; }',
        'lines() {\n  while read -r l; do echo "$l"; done < list.txt\n  printf "a\\n" | while read -r l; do echo "$l"; done\n  read -r v <<< "x"\n}',
        '"$@"',
      ].join('\n'),
    )
    const note = /\/\/ It reads the terminal \(read, select\)[^\n]*\n[^\n]*interactive: true[^\n]*\n/
    expect(c.source).toMatch(new RegExp(`${note.source}export const publish = `))
    expect(c.source).toMatch(new RegExp(`${note.source}export const ask = `))
    expect(c.source.match(new RegExp(note.source, 'g'))).toHaveLength(2)
  })

  it('never lists _private functions, and keeps them callable from the prelude', async () => {
    const c = await convert('_log() { echo "[x] $*"; }\nbuild() { _log building; }\n"$@"\n')
    expect(c.tasks).toEqual(['build'])
    expect(c.source).toContain('const prelude = `_log() { echo "[x] $*"; }\n`')
    expect(c.source).toContain('run: () => sh`_log building`')
  })

  it('takes descriptions from ## comments and from the comment lines above a function', async () => {
    const c = await convert('function fmt { ## Format the code\n  echo f\n}\n# Run the tests\n# with coverage\ntest() { echo t; }\n"$@"\n')
    expect(c.source).toContain("description: 'Format the code'")
    expect(c.source).toContain("description: 'Run the tests with coverage'")
  })

  it('takes a description from the comment lines that open a body, when none is above it', async () => {
    const c = await convert(
      'function lint {\n  # Lint Python code\n  # shellcheck disable=SC2086\n  echo l\n}\nfunction fmt {\n  echo f\n  # not a description\n}\n"$@"\n',
    )
    expect(c.source).toContain("description: 'Lint Python code',\n  run: () => $`echo l`")
    expect(c.source).toMatch(/export const fmt = task\(\{\n {2}run:/)
  })

  it('rewrites the script folder variable to the project root', async () => {
    const c = await convert('THIS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)\nbuild() { ls "$THIS_DIR"; }\n"$@"\n')
    expect(c.source).toContain('THIS_DIR="$PWD"')
  })

  it("keeps a folder other than the script's (its parent), and names the script ./run.sh where bash code used $0", async () => {
    const c = await convert(
      'ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"\ncd "$(dirname "$0")/.."\nsource "${0%/*}/lib.sh"\nlines() { wc -l < "$0"; }\n"$@"\n',
    )
    expect(c.dropped.map((d) => d.what)).toEqual(['"$@"'])
    expect(c.source).toContain('ROOT="$(cd "$(dirname "./run.sh")/.." && pwd)"\ncd "$(dirname "./run.sh")/.."\nsource "./lib.sh"\n')
    expect(c.source).toContain('run: () => sh`wc -l < "./run.sh"`')
  })

  it("drops every top-level line that reads the script's arguments, and a function called with them to dispatch", async () => {
    const shifted = await convert('set -eu\nbuild() { echo "b $*"; }\nTASK=$1\nshift\n"$TASK" "$@"\n')
    expect(shifted.tasks).toEqual(['build'])
    expect(shifted.dropped.map((d) => d.what)).toEqual(['TASK=$1', 'shift', '"$TASK" "$@"'])
    expect(shifted.source).toContain('const prelude = `set -eu\n`')
    const main = await convert('build() { echo b; }\nmain() {\n  local cmd=${1:-help}\n  shift || true\n  "$cmd" "$@"\n}\nmain "$@"\n')
    expect(main.tasks).toEqual(['build'])
    expect(main.dropped.map((d) => d.what)).toEqual(['main "$@"', 'main()'])
  })

  it('escapes what JavaScript would read in a template, and leaves here-documents as they are', async () => {
    const c = await convert('set -e\nnotes() {\n    cat <<EOF\n  `date` ${USER} \\n\nEOF\n}\n"$@"\n')
    expect(c.source).toContain('    cat <<EOF\n  \\`date\\` \\${USER} \\\\n\nEOF')
  })

  it('says so when a task would have run twice in the original', async () => {
    const c = await convert('set -e\nbuild() { echo b; }\na() { build; echo a; }\nboth() {\n  a\n  build\n}\n"$@"\n')
    expect(c.dropped).toContainEqual({ what: 'the second run of build in both', why: 'runts runs each task at most once per run' })
  })

  it('refuses, as an error of the file, code nested thousands deep (which it reads recursively)', async () => {
    const deep = `build() { echo ${'$('.repeat(5000)}x${')'.repeat(5000)}; }\n"$@"\n`
    await expect(convert(deep)).rejects.toThrow(/^run\.sh nests too deeply for runts to read it/)
  })

  it('refuses a file bash cannot parse, naming the line', async () => {
    await expect(convert('build() {\n  if true; then echo x\n}\n')).rejects.toThrow(/run\.sh:\d+:\d+: bash cannot parse this/)
  })

  it('refuses a file with no tasks, and a file it does not read', async () => {
    await expect(convert('_only() { :; }\n"$@"\n')).rejects.toThrow(/run\.sh has no tasks/)
    await expect(convertTasksFile('tasks.txt', 'build: x')).rejects.toMatchObject({ kind: 'convert', exitCode: 2 })
  })
})
