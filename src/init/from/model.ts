/**
 * What a converted task file is, before it is written as TypeScript: the
 * readers of run.sh, Makefiles and package.json fill it in, `emit.ts` writes it.
 */

/** Where a command takes the task's arguments (`${args}` in the generated `$` call). */
export const ARGS = Symbol('args')

/** Shell text, with the task's arguments interpolated where `ARGS` stands, and constants where `{ constant }` does. */
export type Part = string | typeof ARGS | { constant: string }

export interface Command {
  parts: Part[]
  /** A failure does not fail the task (make's `-` prefix). */
  nothrow?: boolean
}

export interface TaskModel {
  /** The name a user types (`publish:test`). */
  name: string
  description?: string
  /** Names of the tasks that run first, in order. */
  deps: string[]
  /** Run in order; the first that fails stops the task. */
  commands: Command[]
  /** `$`: runts' own `$`; `sh`: the file's helper, which keeps the original shell's options and top-level lines. */
  shell: '$' | 'sh'
  /** Lines of comment written above the task. */
  comments: string[]
  /** Variables it needs set (its `env: [...]`): what it reads from `.env`. */
  env?: string[]
  /** Not listed and not runnable by name: only other tasks use it. */
  private?: boolean
}

/** A constant of the tasks file (a make variable): one word, or several (interpolated as several arguments). */
export interface Constant {
  name: string
  value: string | string[]
}

/** The `sh` helper: runs a script after `prelude`, with no other shell options than the prelude sets. */
export interface Helper {
  prelude: string
  /** Why the helper exists, as comment lines. */
  comments: string[]
}

export interface Dropped {
  what: string
  why: string
}

export interface FileModel {
  /** The file converted, as the user named it. */
  from: string
  constants: Constant[]
  helper?: Helper
  tasks: TaskModel[]
  dropped: Dropped[]
  /** What the user should know, printed by the conversion (each also said above its task). */
  notes?: string[]
}

/** What a converter is told about the project besides the file's text. */
export interface ConvertOptions {
  /** The names the project's `.env`, `.env.local` and `.env.example` give (never their values). */
  envNames?: ReadonlySet<string>
}

/** What `convertTasksFile` returns. */
export interface Conversion {
  /** The text of the new tasks.config.ts. */
  source: string
  /** The public task names, in the order of the original file. */
  tasks: string[]
  /** What was left out because runts does it itself, and why. */
  dropped: Dropped[]
  /** What the user should know about the converted tasks (a secret on a command line). */
  notes: string[]
}
