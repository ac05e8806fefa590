/**
 * A task's outputs as plain files in its entry (`outputs/`, by their paths
 * from the project root), copied in after a good run and copied back on a
 * restore. Copies, not an archive: the kernel copies each file (a reflink
 * where the file system has them), as fast as `cp -r`, where unpacking a tar
 * in JavaScript took several times as long.
 */
import { constants, copyFileSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs'
import path from 'node:path'
import type { OutputStat } from '../fingerprint/file-stat.js'
import { hashFile } from '../fingerprint/hash.js'
import { orphaned, PROJECT_TEMPORARY, temporaryName } from './atomic.js'
import type { OutputFile } from './entry-format.js'

/**
 * Copies these files (paths from `root`) into `into`, each with its mode. Returns each with the hash of
 * its copy and the stat it had; throws when one changed while it was being copied.
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
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs) {
      throw new Error(`${file} changed while it was being stored`)
    }
    out.push({ file, size: after.size, hash: hashFile(target), mtimeMs: after.mtimeMs })
    stats.push([file, after.size, after.mtimeMs, after.ctimeMs, after.ino])
  }
  return { files: out, stats }
}

/**
 * Copies these outputs of an entry (`from`: its `outputs/`) back under `root`, each with the time it had
 * when stored. Each file is copied beside its place (`.runts-tmp-PID-N-name`) and renamed over it, so
 * that no reader (another run, the task's dependents) ever sees half a file, and a link in the way is
 * replaced, never written through; such a copy left by a restore that was killed is removed by the next
 * one. A folder on the way that leads out of the project (a link) is refused: throws.
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
      // A restore killed between its copy and its rename left its copy here.
      for (const name of readdirSync(parent)) if (orphaned(name, PROJECT_TEMPORARY)) rmSync(path.join(parent, name), { force: true })
    }
    const tmp = temporaryName(target, PROJECT_TEMPORARY)
    try {
      copyFileSync(source, tmp, constants.COPYFILE_FICLONE)
      if (mtimeMs !== undefined) utimesSync(tmp, new Date(mtimeMs), new Date(mtimeMs))
      if (lstatSync(target, { throwIfNoEntry: false })?.isDirectory()) rmSync(target, { recursive: true, force: true })
      renameSync(tmp, target)
    } catch (error) {
      rmSync(tmp, { force: true })
      throw error
    }
  }
}
