/**
 * `run --completions SHELL` prints the script a shell loads; on each Tab the
 * script calls `run --complete -- WORDS…` (hidden), answered here from the
 * same cheap path as `run --list --json` (no zx, no shell), and silently:
 * whatever goes wrong, the shell just gets no candidates.
 */
import { ExitCode } from '../errors.js'
import { openProject } from '../project.js'
import type { Session } from '../session.js'
import type { CompletionFlag } from '../views/completions.js'
import type { Command } from './command.js'

export async function completions(command: Extract<Command, { kind: 'completions' }>, session: Session): Promise<number> {
  const { completionScript } = await import('../views/completions.js')
  return session.print(completionScript(command.shell))
}

/** The hidden `run --complete -- WORDS…`: candidates for the last word; `flags` are the command line's. */
export async function complete(session: Session, words: readonly string[], flags: readonly CompletionFlag[]): Promise<number> {
  const { completeWords, completionOutput, completionRequest } = await import('../views/completions.js')
  const request = completionRequest(words, flags)
  let tasks: Array<{ name: string; description?: string }> = []
  if (request.kind === 'task') {
    try {
      const { graph } = await openProject(session, { file: request.tasksFile, envFile: [] }, { quiet: true })
      const aliases = [...graph.aliases].map(([name, node]) => ({ name, description: node.description }))
      tasks = [...graph.public.map((t) => ({ name: t.name, description: t.description })), ...aliases]
    } catch {
      // no tasks file here, or one that does not load: no task names to offer
    }
  }
  session.io.stdout.write(session.masker.mask(completionOutput(completeWords(words, tasks, flags))))
  return ExitCode.ok
}
