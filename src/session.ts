/**
 * What every command shares: the process's I/O, the colour decision, the
 * masker, and how runts itself prints (every byte masked). Under GitHub
 * Actions each secret is announced to the log (`::add-mask::`) as soon as it
 * is known, before anything else is printed.
 */
import { onSecret } from './api/context.js'
import { Masker } from './env/mask.js'
import { findSecrets } from './env/secrets.js'
import { ExitCode, exitCodeOf } from './errors.js'
import type { Io } from './io.js'
import { type Colors, colors, useColor } from './report/colors.js'
import { renderError } from './report/render-error.js'

export class Session {
  readonly c: Colors
  readonly masker = new Masker([])
  /** Where a running task's own JavaScript output goes (set while tasks run). */
  taskOutput: ((task: string, stream: 'stdout' | 'stderr', text: string) => void) | undefined
  readonly debug: (message: string) => void

  constructor(readonly io: Io) {
    this.c = colors(useColor(io.env, io.terminal.stderr))
    if (io.env.GITHUB_ACTIONS === 'true') {
      // Raw values on purpose: the runner masks them in the log from here on. A multi-line value cannot be announced whole; its lines are.
      this.masker.onAdd((values) => {
        const lines = values.filter((v) => !/[\r\n]/.test(v)).map((v) => `::add-mask::${v}\n`)
        if (lines.length > 0) io.stdout.write(lines.join(''))
      })
    }
    // The shell's secrets are known from the start: even an error about the command line is masked.
    this.masker.add(findSecrets(io.env).values)
    // A secret a task obtains while it runs (a minted upload token), masked from then on.
    onSecret((value) => this.masker.add([value]))
    // RUNTS_DEBUG=1: what the caches did, and when each phase ended (ms since the process started).
    this.debug = io.env.RUNTS_DEBUG ? (m) => io.stderr.write(`runts: ${m} (at ${io.now().toFixed(1)} ms)\n`) : () => {}
  }

  /** runts' own output on stdout, masked. */
  print(text: string): number {
    this.io.stdout.write(this.masker.mask(text))
    return ExitCode.ok
  }

  warn(message: string): void {
    this.io.stderr.write(`${this.c.yellow('warning:')} ${this.masker.mask(message)}\n`)
  }

  /** An error as text: the one renderer, paths relative to where `run` was called. */
  render(error: unknown): string {
    return renderError(error, this.c, this.io.cwd)
  }

  /** Print an error (masked) and give its exit code. */
  fail(error: unknown): number {
    this.io.stderr.write(this.masker.mask(this.render(error)))
    return exitCodeOf(error)
  }
}
