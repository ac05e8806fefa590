/**
 * The built CLI left running (`run --watch`), its output read as it comes: wait for a line, count
 * lines, send it a signal, wait for its exit. `stopAll()` (for afterEach) kills what a test left.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { cli } from './project.js'

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

const live = new Set<LiveCli>()

export class LiveCli {
  /** stdout and stderr as they came, interleaved. */
  output = ''
  readonly exited: Promise<Exit>
  private readonly child: ChildProcess

  constructor(cwd: string, args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: undefined, GITHUB_ACTIONS: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.on('data', (d) => {
        this.output += d
      })
    }
    live.add(this)
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        live.delete(this)
        resolve({ code, signal })
      }),
    )
  }

  /** Has it exited? */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** How many times the output holds this pattern (give it the g flag). */
  count(pattern: RegExp): number {
    return this.output.match(pattern)?.length ?? 0
  }

  /** Waits until the output passes the test; throws with the output so far at the deadline or when the CLI exits first. */
  async waitFor(test: RegExp | ((output: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s)
    const deadline = Date.now() + timeoutMs
    while (!ok(this.output)) {
      if (!this.running) throw new Error(`the CLI exited before its output passed ${String(test)}:\n${this.output}`)
      if (Date.now() > deadline) throw new Error(`the output never passed ${String(test)} in ${timeoutMs} ms:\n${this.output}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    return this.output
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal)
  }
}

/** Kills every CLI still running (and so, through its watchdog, what it started). */
export async function stopAll(): Promise<void> {
  const left = [...live]
  for (const cli of left) cli.signal('SIGKILL')
  await Promise.all(left.map((cli) => cli.exited))
}
