/**
 * A task's outputs as plain files in its entry (`outputs/`, by their paths
 * from the project root), copied in after a good run and copied back on a
 * restore. Copies, not an archive: the kernel copies each file (a reflink
 * where the file system has them), as fast as `cp -r`, where unpacking a tar
 * in JavaScript took several times as long.
 */
import { constants, copyFileSync, lstatSync, mkdirSync, realpathSync, rmSync, statSync, utimesSync } from 'node:fs'
import path from 'node:path'
import { hashFile } from './hash.js'
import type { OutputFile } from './store.js'
import type { OutputStat } from './task-state.js'

/** An entry's folder of output files. */
export const OUTPUTS_DIR = 'outputs'

/**
 * Copies these files (paths from `root`) into `into`, each with its mode. Returns each with the hash of
 * its copy and the size and time it had; throws when one changed while it was being copied.
 */
export function storeOutputs(root: string, files: readonly string[], into: string): { files: OutputFile[]; stats: OutputStat[] } {
  const out: OutputFile[] = []
  const stats: OutputStat[] = []
  // The folder is there even when empty: an artifact always holds it.
  mkdirSync(into, { recursive: true })
  const made = new Set<string>([into])
  for (const file of files) {
    const source = path.join(root, file)
    const target = path.join(into, file)
    const parent = path.dirname(target)
    if (!made.has(parent)) mkdirSync(parent, { recursive: true })
    made.add(parent)
    const before = statSync(source)
    copyFileSync(source, target, constants.COPYFILE_FICLONE)
    const after = statSync(source)
    // Still being written (a command the task left behind): what was copied may be half of it.
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw new Error(`${file} changed while it was being stored`)
    out.push({ file, size: after.size, hash: hashFile(target), mtimeMs: after.mtimeMs })
    stats.push([file, after.size, after.mtimeMs])
  }
  return { files: out, stats }
}

/**
 * Copies an entry's outputs back under `root`, each with the time it had when stored. What is in the way
 * (a file, a link, a folder) is removed first, so a link is replaced, never written through; a folder on
 * the way that leads out of the project (a link) is refused: throws.
 */
export function restoreOutputs(from: string, root: string, outputs: readonly OutputFile[]): void {
  const realRoot = realpathSync(root)
  const checked = new Set<string>()
  for (const { file, size, mtimeMs } of outputs) {
    const source = path.join(from, file)
    // Cheap against a damaged store (a copy cut short or gone); contents are hashed only for entries from elsewhere.
    if (statSync(source).size !== size) throw new Error(`the cache's copy of ${file} is damaged`)
    const target = path.join(root, file)
    const parent = path.dirname(target)
    if (!checked.has(parent)) {
      mkdirSync(parent, { recursive: true })
      const real = realpathSync(parent)
      if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`)) throw new Error(`${path.dirname(file)} leads out of the project`)
      checked.add(parent)
    }
    const there = lstatSync(target, { throwIfNoEntry: false })
    if (there) rmSync(target, { recursive: there.isDirectory(), force: true })
    copyFileSync(source, target, constants.COPYFILE_FICLONE)
    if (mtimeMs !== undefined) utimesSync(target, new Date(mtimeMs), new Date(mtimeMs))
  }
}
