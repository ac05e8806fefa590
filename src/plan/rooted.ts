/**
 * Absolute `inputs` (a tasks file that builds them from `process.cwd()` or
 * its own folder) made relative to the project root, where every glob of the
 * cache starts; one outside the project (absolute, or `../shared/**`) is
 * refused, as such `outputs` are: the cache and `--watch` look at the project
 * alone (an absolute input elsewhere would leave its task up to date for
 * ever; `../shared/**` would be read by the fingerprint, so `--why` would see
 * a change there that `--watch` never does). Runs on the graph once the tasks
 * file is loaded; no I/O but one `realpath` when such an input is there.
 */
import { realpathSync } from 'node:fs'
import path from 'node:path'
import { RuntsError } from '../errors.js'
import type { TaskGraph } from './graph.js'

/** Rewrites each task's absolute input globs from `root`; throws (exit 2) for one outside it. */
export function rootInputs(graph: TaskGraph, root: string): void {
  let roots: string[] | undefined
  for (const node of graph.byName.values()) {
    if (!node.inputs?.some((glob) => glob.startsWith('/') || glob.startsWith('!/') || glob.includes('..'))) continue
    roots ??= [...new Set([path.resolve(root), realpath(root)])]
    const outside = (glob: string) =>
      new RuntsError('load', `task '${node.name}' has an input outside the project: ${JSON.stringify(glob)}`, {
        hint: `inputs are globs from the project root (${roots![0]}), like 'src/**': the cache looks at nothing outside it`,
      })
    node.inputs = node.inputs.map((glob) => {
      const not = glob.startsWith('!') ? '!' : ''
      const pattern = glob.slice(not.length)
      if (!pattern.startsWith('/')) {
        if (!pattern.split('/').includes('..')) return glob
        const normal = path.posix.normalize(pattern)
        if (normal === '..' || normal.startsWith('../')) throw outside(glob)
        return `${not}${normal}`
      }
      for (const base of roots!) {
        const inside = path.relative(base, pattern)
        if (inside === '') return `${not}**`
        if (!inside.startsWith('..') && !path.isAbsolute(inside)) return `${not}${inside.split(path.sep).join('/')}`
      }
      throw outside(glob)
    })
  }
}

function realpath(dir: string): string {
  try {
    return realpathSync(dir)
  } catch {
    return path.resolve(dir)
  }
}
