/**
 * Child processes of a run, each the leader of its own process group (in a
 * session of its own: `detached`), so that stopping a command stops
 * everything it started. A watchdog stops them if runts itself dies.
 */
import type { SpawnOptions, StdioOptions, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { childProcess } from '../util/lazy-modules.js'
import { Watchdog } from './watchdog.js'

export type Spawn = typeof spawn

/** What a command's shell runs first: its process group to the watchdog, then fd 3 closed (nothing it starts inherits it). */
const REGISTER = `{ printf '%s\\n' "$$" >&3; } 2>/dev/null; exec 3>&-; `

/** zx's stdio (`'pipe'` or three entries), with `fd3` as the fourth. */
function withFd3(stdio: SpawnOptions['stdio'], fd3: Writable): StdioOptions {
  const three = Array.isArray(stdio) ? stdio.slice(0, 3) : [stdio ?? 'pipe', stdio ?? 'pipe', stdio ?? 'pipe']
  return [...three, fd3] as StdioOptions
}

/** How the runner starts and stops commands; tests pass a fake. */
export interface Processes {
  /** A `spawn` for zx that starts each of `owner`'s commands, and tracks it. */
  spawnFor(owner: string, interactive: boolean): Spawn
  /** Signal every command (of `owner`, or all), wait until gone or `graceMs` passed, then SIGKILL what is left. */
  stop(signal: NodeJS.Signals, graceMs: number, owner?: string): Promise<void>
  /** SIGKILL everything, now (a second Ctrl-C). */
  kill(): void
  /** Commands of `owner` still running once it ended (not awaited), after a moment for ones already on their way out. */
  leftRunning(owner: string): Promise<string[]>
  /** The run is over: nothing more to watch. */
  close(): Promise<void>
  /** Stop reading the commands' output until `resumeOutput` (where it goes is behind): they wait, nothing piles up in memory. */
  pauseOutput(): void
  resumeOutput(): void
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** How long a task's commands may take to finish exiting once the task ended. */
const STRAGGLER_MS = 1000

interface Started {
  /** The task that started it. */
  owner: string
  /** In its own process group (not an interactive command, which shares ours to own the terminal). */
  group: boolean
  /** What it runs, for messages. */
  command: string
  exited: boolean
}

export class ProcessGroups implements Processes {
  /** Every command started, even when it has exited: its children may live on in its group. */
  private readonly started = new Map<number, Started>()
  private readonly cuts = new Set<() => void>()
  private readonly watchdog = new Watchdog()
  /** The output pipes of commands still running, for flow control. */
  private readonly pipes = new Set<NodeJS.ReadableStream>()
  private paused = false

  /** A `spawn` for zx that starts each of `owner`'s commands as a process group leader, and tracks it. */
  spawnFor(owner: string, interactive: boolean): Spawn {
    const group = !interactive && process.platform !== 'win32'
    return ((command: string, args: readonly string[], options: SpawnOptions) => {
      // zx runs its script through the spawn's `shell` (`bash -c SCRIPT`). The script first hands its own
      // group to the watchdog (fd 3) and closes it: a command is known before it can start anything, even
      // if runts dies the instant after starting it (before its own `watch` below).
      const lifeline = group && options.shell && args.length === 0 ? this.watchdog.pipe() : undefined
      const child = lifeline
        ? childProcess().spawn(`${REGISTER}${command}`, args, { ...options, stdio: withFd3(options.stdio, lifeline), detached: group })
        : childProcess().spawn(command, args, { ...options, detached: group })
      const pid = child.pid
      if (pid === undefined) return child
      const shown = (args.at(-1) ?? command).replace(/^set -euo pipefail;\s*/, '')
      const started: Started = { owner, group, command: shown, exited: false }
      this.started.set(pid, started)
      if (group) this.watchdog.watch(pid)
      for (const pipe of [child.stdout, child.stderr]) {
        if (!pipe) continue
        this.pipes.add(pipe)
        // Paused before zx listens: a 'data' listener does not resume a stream paused on purpose.
        if (this.paused) pipe.pause()
        pipe.once('close', () => this.pipes.delete(pipe))
      }
      child.once('exit', () => {
        started.exited = true
        // Its group may live on (a background child): the watchdog keeps it until it is gone.
        if (group && !groupAlive(pid)) this.watchdog.forget(pid)
      })
      return child
    }) as Spawn
  }

  async leftRunning(owner: string): Promise<string[]> {
    const running = () => [...this.started.values()].filter((s) => s.owner === owner && !s.exited).map((s) => s.command)
    // The first command of an awaited pipe (`$\`a\`.pipe($\`b\`)`) may end just after the last.
    const deadline = Date.now() + STRAGGLER_MS
    while (running().length > 0 && Date.now() < deadline) await delay(10)
    return running()
  }

  close(): Promise<void> {
    return this.watchdog.close()
  }

  pauseOutput(): void {
    this.paused = true
    for (const pipe of this.pipes) pipe.pause()
  }

  resumeOutput(): void {
    this.paused = false
    for (const pipe of this.pipes) pipe.resume()
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
