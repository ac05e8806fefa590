/** Every side effect `main()` has goes through this, so tests pass a fake. */
import type { Sink } from './report/reporter.js'

export interface Io {
  argv: string[]
  cwd: string
  /** The shell's environment; `main()` adds `.env` values to it. */
  env: NodeJS.ProcessEnv
  stdout: Sink
  stderr: Sink
  /** Is there a person to ask (stdin is a terminal)? */
  interactive: boolean
  /** Is stderr a terminal (for colour)? */
  colorTerminal: boolean
  cpus: number
  now(): number
  readFile(file: string): string | undefined
  /** Ask a yes/no question; resolves true for yes. */
  ask(question: string): Promise<boolean>
  /** Call `handler` on SIGINT/SIGTERM; returns a function that stops listening. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void
  /** Mask everything else the process writes (a task's console.log). */
  maskProcessOutput(mask: (text: string) => string): void
}
