/**
 * Release checks: ordinary functions that say what is wrong before anything
 * runs. A check returns nothing when all is well, or a message that says what
 * is wrong and what to do; a throw counts as a message.
 */
import { currentScope } from '../api/context.js'
import type { Check, CheckContext } from '../api/task.js'

export type { Check, CheckContext }

/** Run a check; a throw becomes its message, so one bad check never hides the others. */
export async function runCheck(check: Check, context?: CheckContext): Promise<string | undefined> {
  try {
    const message = await check(context)
    return message === undefined || message === null || message === '' ? undefined : String(message)
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/** Give a check a name that says what it checks (its function name), for `run --dry-run` to show. */
export function describedAs<T extends Check>(description: string, check: T): T {
  Object.defineProperty(check, 'name', { value: description })
  return check
}

/** The project root: the running task's (runts sets it), else the current folder. */
export function projectRoot(context?: CheckContext): string {
  return context?.cwd ?? currentScope().shell.cwd?.toString() ?? process.cwd()
}

/** `a, b, c, d, e and 4 more` */
export function listSome(items: readonly string[], shown = 5): string {
  const head = items.slice(0, shown).join(', ')
  return items.length > shown ? `${head} and ${items.length - shown} more` : head
}

/** The environment: the check's, else the running task's (`.env` loaded, defaults of its `optional` set), else the process's. */
export function taskEnv(context?: CheckContext): Record<string, string | undefined> {
  return context?.env ?? currentScope().shell.env ?? process.env
}
