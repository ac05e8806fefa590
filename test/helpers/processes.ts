/**
 * Finding the processes one test started, and only those: each test gives
 * its run a unique RUNTS_TEST_TAG in the environment, which every command and
 * its children inherit; /proc tells whose environment holds it. (Matching
 * command lines such as `sleep 60` also finds what another test file runs in
 * the other worker.)
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'

export interface Tagged {
  /** Put this in the environment of the run. */
  env: { RUNTS_TEST_TAG: string }
  /** Live (not zombie) processes carrying the tag, optionally only those whose command line matches. */
  running(command?: RegExp): number[]
}

export function tagProcesses(): Tagged {
  const tag = randomUUID()
  const needle = `RUNTS_TEST_TAG=${tag}\0`
  return {
    env: { RUNTS_TEST_TAG: tag },
    running: (command) =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .map(Number)
        .filter((pid) => {
          const environ = read(`/proc/${pid}/environ`)
          if (!environ?.includes(needle) || !alive(pid)) return false
          return command === undefined || command.test((read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ').trim())
        }),
  }
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1')
  } catch {
    return undefined
  }
}

/** `pid state command` of each process, for a failure message: which ones were left, and in what state. */
export function describeProcesses(pids: readonly number[]): string {
  return pids
    .map((pid) => {
      const stat = read(`/proc/${pid}/stat`) ?? ''
      const state = stat.slice(stat.lastIndexOf(')') + 2)[0] ?? '?'
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '?'
      return `${pid} (state ${state}, parent ${ppid}) ${(read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ').trim()}`
    })
    .join('; ')
}

/** Is a process with this pid still running (a zombie waiting for its parent is not)? */
export function alive(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`)
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
}

/** Poll `check` until it holds, or fail after `ms`: for waiting on processes, never a blind sleep. */
export async function until(check: () => boolean, ms = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
