/**
 * The prelude of a converted run.sh: its shell options, the top-level lines
 * that stay and the functions bash code still calls, in the file's order.
 * Every `sh` script of the tasks file starts with it, as every function of
 * run.sh ran after them.
 */
import type { Node } from './bash-parser.js'
import type { Dropped, Helper, TaskModel } from './model.js'
import { ERREXIT_WHY, type ShellFile, type ShellFunction } from './shell-file.js'
import { calledNames } from './shell-forms.js'

/** The `sh` helper's prelude and the comment that says why it is there. */
export function prelude(sh: ShellFile, shared: Set<string>, droppedFns: Set<string>, scripts: Node[]): Helper {
  const publicFns = new Set(sh.functions.filter((f) => !droppedFns.has(f.name) && !isHelper(f, sh.prefix)).map((f) => f.name))
  const { errexit, nounset, pipefail } = sh.options
  const flags = `${errexit ? 'e' : ''}${nounset ? 'u' : ''}`
  const options = flags || pipefail ? `set ${flags ? `-${flags}` : ''}${pipefail ? `${flags ? '' : '-'}o pipefail` : ''}` : ''
  const keptFns = sh.functions.filter((f) => !droppedFns.has(f.name) && (!publicFns.has(f.name) || shared.has(f.name)))
  const pieces: Array<{ at: number; text: string }> = [
    ...sh.kept.map((k) => ({ at: k.node.startIndex, text: k.text })),
    ...keptFns.map((f) => ({ at: f.node.startIndex, text: sh.source(f.node.startIndex, f.node.endIndex) })),
  ].sort((a, b) => a.at - b.at)
  const used = calledNames([...keptFns.flatMap((f) => f.body), ...sh.kept.map((k) => k.node), ...scripts])
  const stubs = [...droppedFns].filter((name) => used.has(name)).map((name) => `${name}() { :; } # done by runts itself`)
  const lines = [options, ...stubs, ...pieces.map((p) => p.text)].filter((line) => line !== '')
  const comments = [
    'The top-level lines and helper functions of the original: bash ran them before any of its tasks,',
    'so every script below starts with them.',
    errexit
      ? `Its options (\`${options}\`) stay: a failing command stops the script.`
      : 'It has no `set -e`: a failing command does not stop the script; the last command gives its exit code.',
  ]
  return { prelude: lines.length > 0 ? `${lines.join('\n')}\n` : '', comments }
}

/** A function the dispatcher cannot call (no prefix, or `_name`): a helper of the tasks. */
function isHelper(fn: ShellFunction, prefix: string): boolean {
  if (prefix !== '' && !fn.name.startsWith(prefix)) return true
  return fn.name.slice(prefix.length).startsWith('_')
}

/** Tasks that the original ran more than once for `name` (through two pipelines); runts runs each once. */
export function runsTwice(name: string, tasks: TaskModel[]): string[] {
  const byName = new Map(tasks.map((t) => [t.name, t]))
  const order: string[] = []
  const expand = (n: string, depth: number) => {
    if (depth > tasks.length) return // a cycle: runts reports it when the file loads
    for (const dep of byName.get(n)?.deps ?? []) expand(dep, depth + 1)
    order.push(n)
  }
  expand(name, 0)
  return [...new Set(order.filter((n, i) => order.indexOf(n) !== i))]
}

/** With the prelude, `set -e` is not left out (its first line keeps it): only the other reasons to drop a `set` line stay. */
export function keptErrexit(dropped: Dropped[]): Dropped[] {
  return dropped.flatMap((d) => {
    const reasons = d.why.split('; ')
    const why = reasons.filter((reason) => reason !== ERREXIT_WHY)
    if (why.length === reasons.length) return [d]
    // `set -ex`: its -x is dropped, its -e is not.
    return why.length === 0 ? [] : [{ ...d, why: `${why.join('; ')} (its -e stays: the prelude starts with it)` }]
  })
}
