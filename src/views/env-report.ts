/**
 * `run --env [TASK]`: every variable the plan (or the whole file) uses, its
 * value (masked when secret) and where the value came from.
 */
import type { EnvSource, LoadedEnv } from '../env/load.js'
import type { Masker } from '../env/mask.js'
import type { TaskNode } from '../plan/graph.js'

export function envReport(tasks: readonly TaskNode[], loaded: LoadedEnv, declaredSecrets: readonly string[], masker: Masker): string {
  const neededBy = new Map<string, string[]>()
  // The default an optional variable takes when it is unset or empty (the first task's, when several say).
  const defaults = new Map<string, string>()
  for (const task of tasks) {
    for (const name of [...task.env, ...task.secret, ...Object.keys(task.optional)]) {
      if (!neededBy.get(name)?.includes(task.name)) neededBy.set(name, [...(neededBy.get(name) ?? []), task.name])
    }
    for (const [name, value] of Object.entries(task.optional)) if (value !== undefined && !defaults.has(name)) defaults.set(name, value)
  }
  const names = [...new Set([...neededBy.keys(), ...loaded.fileValues.map(([name]) => name), ...declaredSecrets])].sort()
  if (names.length === 0) return 'no variables: no task declares env: [...] or optional: {...}, and no .env file sets any\n'
  const rows = names.map((name) => {
    const value = loaded.values[name]
    const fallback = defaults.get(name)
    if (!value && fallback !== undefined) return [name, oneLine(masker.mask(fallback)), '(default)', (neededBy.get(name) ?? []).join(', ')]
    const shown = value === undefined ? '(not set)' : value === '' ? '(empty)' : masker.mask(value)
    const source: EnvSource | '' = value === undefined ? '' : (loaded.sources.get(name) ?? '')
    return [name, oneLine(shown), source, (neededBy.get(name) ?? []).join(', ')]
  })
  const head = ['NAME', 'VALUE', 'SOURCE', 'NEEDED BY']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return `${[head, ...rows].map(line).join('\n')}\n`
}

function oneLine(value: string): string {
  return value.replace(/\r?\n/g, '\\n')
}
