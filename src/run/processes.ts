/**
 * Child processes of a run, each in its own process group, so that stopping
 * a command stops everything it started.
 */
import type { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

export type Spawn = typeof spawn

/** How the runner starts and stops commands; tests pass a fake. */
export interface Processes {
  /** A `spawn` for zx that starts each of `owner`'s commands, and tracks it. */
  spawnFor(owner: string, interactive: boolean): Spawn
  /** Signal every command (of `owner`, or all), wait until gone or `graceMs` passed, then SIGKILL what is left. */
  stop(signal: NodeJS.Signals, graceMs: number, owner?: string): Promise<void>
  /** SIGKILL everything, now (a second Ctrl-C). */
  kill(): void
}

/** child_process is loaded with the first command, not before: a run of JavaScript-only tasks never needs it. */
const childProcess = () => createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process')

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Started {
  /** The task that started it. */
  owner: string
  /** In its own process group (not an interactive command, which shares ours to own the terminal). */
  group: boolean
}

export class ProcessGroups implements Processes {
  /** Every command started, even when it has exited: its children may live on in its group. */
  private readonly started = new Map<number, Started>()
  private readonly cuts = new Set<() => void>()

  /** A `spawn` for zx that starts each of `owner`'s commands as a process group leader, and tracks it. */
  spawnFor(owner: string, interactive: boolean): Spawn {
    const group = !interactive && process.platform !== 'win32'
    return ((command: string, args: readonly string[], options: object) => {
      const child = childProcess().spawn(command, args, { ...options, detached: group })
      if (child.pid !== undefined) this.started.set(child.pid, { owner, group })
      return child
    }) as Spawn
  }

  /**
   * Send `signal` to every group (of `owner`, or all), wait until they are
   * gone or `graceMs` has passed, then SIGKILL what is left. `kill()` cuts
   * the wait short.
   */
  async stop(signal: NodeJS.Signals, graceMs: number, owner?: string): Promise<void> {
    const pids = [...this.started].filter(([, s]) => owner === undefined || s.owner === owner).map(([pid]) => pid)
    for (const pid of pids) this.signal(pid, signal)
    const deadline = Date.now() + graceMs
    let cut = false
    const onCut = () => {
      cut = true
    }
    this.cuts.add(onCut)
    while (!cut && Date.now() < deadline && this.anyAlive(pids)) await delay(25)
    this.cuts.delete(onCut)
    for (const pid of pids) if (this.alive(pid)) this.signal(pid, 'SIGKILL')
  }

  /** SIGKILL to everything, now. */
  kill(): void {
    for (const cut of this.cuts) cut()
    for (const pid of this.started.keys()) if (this.alive(pid)) this.signal(pid, 'SIGKILL')
  }

  private anyAlive(pids: number[]): boolean {
    const running = runningGroups()
    return pids.some((pid) => (running && this.started.get(pid)?.group ? running.has(pid) : this.alive(pid)))
  }

  private alive(pid: number): boolean {
    return this.started.get(pid)?.group ? groupAlive(pid) : processAlive(pid)
  }

  private signal(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(this.started.get(pid)?.group ? -pid : pid, signal)
    } catch {
      // gone
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Process groups with a member that is not a zombie, from /proc where there is
 * one (an exited child waiting to be reaped by init is not running).
 */
function runningGroups(): Set<number> | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  const groups = new Set<number>()
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] !== 'Z') groups.add(Number(fields[2]))
    } catch {
      // gone meanwhile
    }
  }
  return groups
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0)
    return true
  } catch {
    return false
  }
}
