/**
 * Writes that a concurrent reader sees whole or not at all: everything is
 * written under a temporary name in the same folder, then renamed.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { writeAtomic } from '../../util/fs.js'

let counter = 0

/** A name beside `target` that no other writer (process or call) uses: `PREFIX-PID-N-name`. */
export function temporaryName(target: string, prefix = '.tmp'): string {
  return path.join(path.dirname(target), `${prefix}-${process.pid}-${++counter}-${path.basename(target)}`)
}

/** The prefix of the files a restore writes into the project before renaming them into place. */
export const PROJECT_TEMPORARY = '.runts-tmp'

/** Whether `name` is a temporary name (with this prefix) of a process that is gone: killed before it could remove it. */
export function orphaned(name: string, prefix = '.tmp'): boolean {
  if (!name.startsWith(`${prefix}-`)) return false
  const pid = Number(name.slice(prefix.length + 1, name.indexOf('-', prefix.length + 1)))
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** Writes a file that readers see whole or not at all, making its folder if need be. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeAtomic(file, data)
}

/**
 * Moves a finished folder into place. When another writer got there first, its
 * folder stays (it is the same entry) and ours is removed: returns false.
 */
export function publishFolder(tmp: string, target: string): boolean {
  try {
    renameSync(tmp, target)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    rmSync(tmp, { recursive: true, force: true })
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false
    throw error
  }
}

/** Removes a folder so that no reader ever sees it half removed: renamed away first, then deleted. */
export function removeFolder(dir: string): void {
  const tmp = temporaryName(dir)
  try {
    renameSync(dir, tmp)
  } catch {
    return
  }
  rmSync(tmp, { recursive: true, force: true })
}
