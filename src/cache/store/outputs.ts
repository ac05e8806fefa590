/**
 * A task's outputs: listed and hashed after a good run, and later compared
 * with what is on disk. Stat-only when sizes and times are those last seen.
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import type { FilesAhead } from './ahead.js'
import { globStats } from './glob.js'
import { hashFile } from './hash.js'
import type { OutputFile } from './store.js'
import { type OutputStat, trusted } from './task-state.js'

/** The files the output globs name now (links to files count as files), with their sizes. */
export function outputFiles(root: string, patterns: readonly string[]): Array<{ file: string; size: number }> {
  return globStats(root, patterns)
}

/** Sizes and times of outputs just restored (their content is the entry's). */
export function statOutputs(root: string, outputs: readonly OutputFile[]): OutputStat[] {
  return outputs.map(({ file }) => {
    const stat = statSync(path.join(root, file))
    return [file, stat.size, stat.mtimeMs]
  })
}

/** How the outputs on disk compare with an entry's. */
export interface OutputsCheck {
  /** Every output is on disk with the content the entry holds. */
  unchanged: boolean
  /** Their sizes and times now (when unchanged), for the next check. */
  stats: OutputStat[]
  /** How many had to be read. */
  read: number
}

/** Compares the entry's outputs with the disk; `seen` (sizes and times from the last check of this entry) saves reading them. */
export function checkOutputs(
  root: string,
  outputs: readonly OutputFile[],
  seen?: { stats: readonly OutputStat[]; taken: number },
): OutputsCheck {
  const known = new Map<string, OutputStat>()
  if (seen) for (const stat of seen.stats) known.set(stat[0], stat)
  const stats: OutputStat[] = []
  let read = 0
  for (const output of outputs) {
    const absolute = path.join(root, output.file)
    const stat = statSync(absolute, { throwIfNoEntry: false })
    if (!stat?.isFile() || stat.size !== output.size) return { unchanged: false, stats: [], read }
    const before = known.get(output.file)
    if (!(before && seen && trusted(stat.size, stat.mtimeMs, { size: before[1], mtimeMs: before[2], taken: seen.taken }))) {
      read++
      if (hashFile(absolute) !== output.hash) return { unchanged: false, stats: [], read }
    }
    stats.push([output.file, stat.size, stat.mtimeMs])
  }
  return { unchanged: true, stats, read }
}

/**
 * The entry's outputs that a restore would write: missing, or not the entry's content, on disk or as
 * `ahead` (what deps restore first) leaves them; `seen` spares reading files whose size and time it knows.
 */
export function differingOutputs(
  root: string,
  outputs: readonly OutputFile[],
  seen?: { stats: readonly OutputStat[]; taken: number },
  ahead?: FilesAhead,
): OutputFile[] {
  const known = new Map<string, OutputStat>()
  if (seen) for (const stat of seen.stats) known.set(stat[0], stat)
  return outputs.filter((output) => {
    const restored = ahead?.get(output.file)
    if (restored) return restored.hash !== output.hash
    const absolute = path.join(root, output.file)
    const stat = statSync(absolute, { throwIfNoEntry: false })
    if (!stat?.isFile() || stat.size !== output.size) return true
    const before = known.get(output.file)
    if (before && seen && trusted(stat.size, stat.mtimeMs, { size: before[1], mtimeMs: before[2], taken: seen.taken })) return false
    return hashFile(absolute) !== output.hash
  })
}
