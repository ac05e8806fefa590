/**
 * zx options for one task's commands: the project root as cwd, the task's
 * own copy of the environment, the project's node_modules/.bin first on
 * PATH, output to the runner (never to zx's own printing), and each command
 * started by the runner's process layer (its own process group).
 */
import path from 'node:path'
import type { ShellOptions } from '../api/context.js'
import type { TaskNode } from '../plan/graph.js'
import { keptOutput } from './kept-output.js'
import type { Spawn } from './processes.js'

/** What the runner hears about a task's commands. */
export interface CommandLog {
  command(command: string): void
  output(stream: 'stdout' | 'stderr', data: string | Uint8Array): void
  /** A command exited non-zero. */
  failed(command: string): void
}

export interface ShellContext {
  root: string
  env: Record<string, string>
  spawn: Spawn
  log: CommandLog
}

/** The task's environment: the run's, with the defaults of its `optional` variables where those are unset or empty. */
export function withDefaults(env: Record<string, string>, optional: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out = { ...env }
  for (const [name, value] of Object.entries(optional)) if (!out[name] && value !== undefined) out[name] = value
  return out
}

/**
 * `PATH` with the `node_modules/.bin` of every folder above the project root first, nearest first, as
 * `npm run` puts them: in a workspace package, the tools npm hoisted to the workspace root (`tsc`) are
 * found. (zx puts the root's own first, for `preferLocal`.)
 */
export function ancestorBins(root: string, pathValue: string | undefined): string {
  const bins: string[] = []
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    bins.push(path.join(dir, 'node_modules', '.bin'))
    if (path.dirname(dir) === dir) break
  }
  return [...bins, ...(pathValue ? [pathValue] : [])].join(path.delimiter)
}

export function shellOptions(node: TaskNode, context: ShellContext): ShellOptions {
  const commands = new Map<string, string>()
  const { log } = context
  const onLog = ((entry) => {
    switch (entry.kind) {
      case 'cmd':
        // An empty array interpolated last leaves a trailing space: not part of what people read.
        commands.set(entry.id, entry.cmd.trimEnd())
        log.command(entry.cmd.trimEnd())
        break
      case 'stdout':
      case 'stderr':
        // After its end, zx adds a newline to output that lacks one: not the command's bytes.
        if (entry.verbose && commands.has(entry.id)) log.output(entry.kind, entry.data)
        break
      case 'end':
        if (entry.exitCode !== 0) log.failed(commands.get(entry.id) ?? '')
        commands.delete(entry.id)
        break
    }
  }) as NonNullable<ShellOptions['log']>
  const env = withDefaults(context.env, node.optional)
  env.PATH = ancestorBins(context.root, env.PATH)
  // With SHLVL unset (cron, systemd, `docker run` exec form) bash takes the socket zx gives it as stdin
  // for an ssh connection and reads ~/.bashrc, whose output would land in the task's own.
  if (!(Number(env.SHLVL) >= 1)) env.SHLVL = '1'
  return {
    cwd: context.root,
    env,
    verbose: true,
    quiet: false,
    nothrow: false,
    // Like npm scripts: the project's node_modules/.bin comes first on PATH (then its parents', above).
    preferLocal: true,
    spawn: context.spawn,
    log: onLog,
    // A getter: zx reads it once for each command, which gets its own bounded store.
    get store() {
      return keptOutput()
    },
    ...(node.interactive ? { stdio: 'inherit' as const } : {}),
  }
}
