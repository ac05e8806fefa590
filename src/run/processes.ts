/**
 * Child processes of a run, each in its own process group, so that stopping
 * a command stops everything it started.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'

export type Spawn = typeof spawn

export class ProcessGroups {
  private readonly live = new Set<ChildProcess>()
  /** Every group started, even when its leader has exited: its children may live on. */
  private readonly groups = new Set<number>()
  private killNow: (() => void) | undefined

  /** A `spawn` for zx that starts each command as a process group leader and tracks it. */
  readonly spawn: Spawn = ((command: string, args: readonly string[], options: object) => {
    const child = spawn(command, args, { ...options, detached: process.platform !== 'win32' })
    this.live.add(child)
    if (child.pid !== undefined) this.groups.add(child.pid)
    const forget = () => this.live.delete(child)
    child.once('exit', forget)
    child.once('error', forget)
    return child
  }) as Spawn

  /** Commands still running. */
  get running(): number {
    return this.live.size
  }

  /**
   * Send `signal` to every group, wait until all are gone or `graceMs` has
   * passed, then SIGKILL what is left. `kill()` cuts the wait short.
   */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    for (const pid of this.groups) signalGroup(pid, signal)
    const deadline = Date.now() + graceMs
    let cut = false
    this.killNow = () => {
      cut = true
    }
    while (!cut && Date.now() < deadline && this.anyAlive()) await delay(25)
    this.kill()
  }

  private anyAlive(): boolean {
    const running = runningGroups()
    for (const pid of this.groups) if (running ? running.has(pid) : groupAlive(pid)) return true
    return false
  }

  /** SIGKILL to every group, now. */
  kill(): void {
    this.killNow?.()
    for (const pid of this.groups) if (groupAlive(pid)) signalGroup(pid, 'SIGKILL')
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

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal)
  } catch {
    // the group is gone
  }
}
