/**
 * One run at a time of a task the cache records, per project. Two runs at once (two terminals, a save
 * hook and a shell) both ran the task and wrote its outputs, and one of them recorded the outputs while
 * the other was rewriting them: a torn entry, which a later run restored over good files. Now a run takes
 * the task's lock (`locks/<hash>.lock` in the cache folder, created exclusively, holding its pid) before
 * deciding anything, and gives it back once the task is recorded or skipped; the other run waits, then
 * finds the task up to date. A lock whose holder is gone (killed) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import path from 'node:path'
import { hashOf } from '../fingerprint/hash.js'

const POLL_MS = 50
/** A lock file still empty after this long: its holder died between creating and writing it. */
const EMPTY_STALE_MS = 5000

/** The locks this process holds: given back if it exits without releasing them (an error, process.exit). */
const held = new Set<string>()
let exitHook = false

/** Takes `task`'s lock in the cache folder `dir`, waiting while another live process holds it; resolves to its release. */
export async function lockTask(dir: string, task: string, waiting: (holder: number) => void): Promise<() => void> {
  const locks = path.join(dir, 'locks')
  const file = path.join(locks, `${hashOf(task).slice(0, 24)}.lock`)
  mkdirSync(locks, { recursive: true })
  let told = false
  for (;;) {
    if (create(file)) return release(file)
    const holder = holderOf(file)
    if (holder === 'gone') continue
    if (holder === 'stale' || holder === process.pid || !alive(holder)) {
      takeOver(file, holder)
      continue
    }
    if (!told) {
      told = true
      waiting(holder)
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** Creates the lock file with this process's pid; false when it is there already. */
function create(file: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, String(process.pid))
  } finally {
    closeSync(fd)
  }
  held.add(file)
  if (!exitHook) {
    exitHook = true
    process.once('exit', () => {
      for (const lock of held) unlink(lock)
    })
  }
  return true
}

function release(file: string): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    held.delete(file)
    unlink(file)
  }
}

/** The pid in the lock file; `gone` when the file went meanwhile, `stale` when it stayed empty too long. */
function holderOf(file: string): number | 'gone' | 'stale' {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return 'gone'
  }
  const pid = Number(text)
  if (Number.isInteger(pid) && pid > 0) return pid
  try {
    return Date.now() - statSync(file).mtimeMs > EMPTY_STALE_MS ? 'stale' : 0
  } catch {
    return 'gone'
  }
}

/** Whether a process of that pid is there (0: the holder is still writing its pid). */
function alive(pid: number): boolean {
  if (pid === 0) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/** Removes a lock whose holder is gone, unless another process took it over meanwhile (it holds another pid then). */
function takeOver(file: string, holder: number | 'stale'): void {
  const now = holderOf(file)
  if (now === holder) unlink(file)
}

function unlink(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    // gone already
  }
}
