/**
 * A task's outputs on disk, compared with an entry's: which files a restore
 * would write. Stat-only for files whose stat is the one last seen for this
 * entry (file-stat.ts); the others are hashed.
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import { type OutputStat, unchanged } from '../fingerprint/file-stat.js'
import { hashFile } from '../fingerprint/hash.js'
import type { OutputFile } from './entry-format.js'

/** What the outputs were last seen as, for this very entry. */
export interface SeenOutputs {
  stats: readonly OutputStat[]
  taken: number
}

/** Files that will be there before the task starts (what its deps restore), for `run --why`. */
export interface FilesBefore {
  get(file: string): OutputFile | undefined
}

/** How the outputs on disk compare with an entry's. */
export interface OutputsCheck {
  /** The entry's outputs that are missing, or not its content, on disk (or as `before` leaves them). */
  differing: OutputFile[]
  /** When none differ: their stats now, for the next check. */
  stats: OutputStat[]
  /** How many had to be read. */
  read: number
}

/** Compares an entry's outputs with the disk; `seen` spares reading files whose stat it knows. */
export function compareOutputs(root: string, outputs: readonly OutputFile[], seen?: SeenOutputs, before?: FilesBefore): OutputsCheck {
  const known = new Map<string, OutputStat>()
  if (seen) for (const stat of seen.stats) known.set(stat[0], stat)
  const differing: OutputFile[] = []
  const stats: OutputStat[] = []
  let read = 0
  for (const output of outputs) {
    const restored = before?.get(output.file)
    if (restored) {
      if (restored.hash !== output.hash) differing.push(output)
      continue
    }
    const stat = statSync(path.join(root, output.file), { throwIfNoEntry: false })
    if (!stat?.isFile() || stat.size !== output.size) {
      differing.push(output)
      continue
    }
    const was = known.get(output.file)
    if (!(was && seen && unchanged(stat, was, seen.taken))) {
      read++
      if (hashFile(path.join(root, output.file)) !== output.hash) {
        differing.push(output)
        continue
      }
    }
    stats.push([output.file, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino])
  }
  return { differing, stats: differing.length === 0 ? stats : [], read }
}

/** Stats of outputs just restored (their content is the entry's). */
export function statOutputs(root: string, outputs: readonly OutputFile[]): OutputStat[] {
  return outputs.map(({ file }) => {
    const stat = statSync(path.join(root, file))
    return [file, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino]
  })
}
