/**
 * What each command takes: one `Command` per mode, made by the command line's parser (src/cli/args.ts)
 * and handed to the command's function in this folder. Here, beside the commands, so that they never
 * import the parser.
 */
import type { ProjectOptions } from '../project.js'
import type { OutputMode } from '../report/output-mode.js'

export interface RunOptions {
  jobs: number
  keepGoing: boolean
  verbose: boolean
  yes: boolean
  /** `-B`: every task of the plan runs, whatever the cache says, and records its fingerprint. */
  force: boolean
  output: OutputMode
  report?: string
}

export const GRAPH_FORMATS = ['dot', 'mermaid'] as const
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export const CI_PROVIDERS = ['github'] as const

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'init'; template?: string; from?: string }
  | { kind: 'completions'; shell: (typeof SHELLS)[number] }
  | { kind: 'list'; json: boolean; project: ProjectOptions }
  | { kind: 'makefile'; project: ProjectOptions }
  | { kind: 'env'; task?: string; project: ProjectOptions }
  | { kind: 'graph'; task?: string; format: (typeof GRAPH_FORMATS)[number]; project: ProjectOptions }
  | { kind: 'ci'; provider: (typeof CI_PROVIDERS)[number]; check: boolean; project: ProjectOptions }
  | { kind: 'dry-run'; task: string; args: string[]; project: ProjectOptions }
  | { kind: 'why'; task: string; args: string[]; project: ProjectOptions; force: boolean }
  | { kind: 'run'; task: string; args: string[]; project: ProjectOptions; run: RunOptions }
  | { kind: 'watch'; task: string; args: string[]; project: ProjectOptions; run: RunOptions }
