/**
 * A tasks file's graph, for tests that need one from a real file (a
 * template, this repository's own): a copy that imports this checkout's
 * `src/` instead of the installed `runts`, imported by vitest, with `ci`
 * added to the tasks the test names.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { CiEvent } from '../../src/api/ci-events.js'
import { buildGraph, type TaskGraph } from '../../src/plan/graph.js'
import { repo } from './project.js'

/** The graph of the tasks file at `file`, with `ci` set on the tasks named in `ci`. */
export async function loadGraph(file: string, ci: Record<string, CiEvent[]> = {}): Promise<TaskGraph> {
  const dir = path.dirname(path.resolve(file))
  const text = readFileSync(file, 'utf8')
    .replace(/from 'runts'/g, `from '${path.join(repo, 'src/index.ts')}'`)
    .replace(/from '\.\/([^']+)'/g, (_, rest: string) => `from '${path.join(dir, rest)}'`)
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'runts-graph-'))
  try {
    const copy = path.join(tmp, 'tasks.config.ts')
    writeFileSync(copy, text)
    const graph = buildGraph((await import(copy)) as Record<string, unknown>)
    for (const [name, events] of Object.entries(ci)) {
      const node = graph.byName.get(name)
      if (!node) throw new Error(`no task '${name}' in ${file}`)
      node.ci = events
    }
    return graph
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
