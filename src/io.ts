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
  /** `import()`, done by the entry module (the rest of the CLI may be loaded from a code cache). */
  importModule(url: string): Promise<unknown>
  readFile(file: string): string | undefined
  writeFile(file: string, text: string): void
  /** Ask a yes/no question; resolves true for yes, 'interrupted' for Ctrl-C at the prompt. */
  ask(question: string): Promise<boolean | 'interrupted'>
  /** Run in this folder from now on (the project root, for the tasks' own JavaScript). */
  chdir(dir: string): void
  /** Call `handler` on SIGINT, SIGTERM or SIGHUP; returns a function that stops listening. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void
  /**
   * Everything else the process writes (a task's console.log) goes to `handler`,
   * which returns the text to write, or undefined when it took care of it.
   */
  captureProcessOutput(handler: (stream: 'stdout' | 'stderr', text: string) => string | undefined): void
}
