/**
 * What `main()` takes from the process it runs in: its command line, folder
 * and environment, the terminal, signals and the clock. Tests pass a fake.
 * The file system is used directly (tests use temp folders), and commands
 * are started by the runner's process layer (`run/processes.ts`), which has
 * its own seam.
 */

/** Where text goes; masking and layout happen before this. */
export interface Sink {
  /** Gives false when the reader is behind and what was written waits in memory (then wait for `drained`). */
  write(text: string | Uint8Array): unknown
  /** Call `then` once the reader has caught up (for sinks that can fall behind: pipes). */
  drained?(then: () => void): void
}

export interface Io {
  argv: string[]
  cwd: string
  /** The shell's environment, as runts started. */
  readonly env: Readonly<NodeJS.ProcessEnv>
  /** From now on the process's environment is `values` (the shell's and the `.env` files'), so a tasks file's `process.env` sees them too. */
  setEnv(values: Record<string, string>): void
  /** The running CLI's own file (for generated files that call it back). */
  entry: string | undefined
  stdout: Sink
  stderr: Sink
  /** Is there a person to ask (stdin is a terminal); do stdout and stderr go to a terminal (colour, the status line), and how wide is it? */
  terminal: { stdin: boolean; stdout: boolean; stderr: boolean; columns(): number | undefined }
  cpus: number
  /** Monotonic milliseconds. */
  now(): number
  /** `import()`, done by the entry module (the rest of the CLI may be loaded from a code cache). */
  importModule(url: string): Promise<unknown>
  /** Ask a yes/no question; resolves true for yes, 'interrupted' for Ctrl-C at the prompt. */
  ask(question: string): Promise<boolean | 'interrupted'>
  /** Run in this folder from now on (the project root, for the tasks' own JavaScript). */
  chdir(dir: string): void
  /** Call `handler` on SIGINT, SIGTERM or SIGHUP, or when a reader of our output went away (SIGPIPE); returns a function that stops listening. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void
  /**
   * While tasks run: a task's JavaScript calling process.exit(), an error nobody caught (a
   * callback's throw, a rejected promise nobody awaited), and an event loop left with nothing to
   * do are handed to `handlers` instead of ending the process. `task` is the task whose code it was,
   * when known. Returns a function that restores the defaults.
   */
  guard(handlers: { crash(task: string | undefined, error: unknown): void; idle(): void }): () => void
  /**
   * Everything else the process writes (a task's console.log) goes to `handler`,
   * which returns the text to write, or undefined when it took care of it.
   */
  captureProcessOutput(handler: (stream: 'stdout' | 'stderr', text: string) => string | undefined): void
}
