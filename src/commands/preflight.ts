/**
 * What must hold before the first task of a plan starts, beyond its
 * variables: every task's `preflight` checks, made at once (they mostly wait
 * on git or a registry), and the `confirm` questions a function writes. Any
 * failure is named with its task; nothing runs.
 */
import { runInScope } from '../api/context.js'
import type { CheckContext } from '../api/task.js'
import { RuntsError } from '../errors.js'
import type { TaskNode } from '../plan/graph.js'
import { argsOf, type Plan } from '../plan/plan.js'
import { withDefaults } from '../run/shell-options.js'

export interface CheckResult {
  task: string
  /** What the check says it checks (its function's name), for the dry run. */
  check: string
  /** Undefined when it passed. */
  failure?: string
}

export interface Question {
  task: TaskNode
  question: string
}

/** Every check of the plan, each with its result. */
export async function runPreflight(plan: Plan, root: string, env: Record<string, string>): Promise<CheckResult[]> {
  const jobs = plan.order.flatMap((node) =>
    node.preflight.map(async (check, i): Promise<CheckResult> => {
      const failure = await inContext(node, root, env, plan.target.name, (context) => check(context))
      return { task: node.name, check: check.name || `check ${i + 1}`, failure }
    }),
  )
  return Promise.all(jobs)
}

/** The plan's `confirm` questions, written (a function writes its question now); one that cannot be written fails. */
export async function questions(
  plan: Plan,
  root: string,
  env: Record<string, string>,
): Promise<{ asked: Question[]; failures: CheckResult[] }> {
  const asked: Question[] = []
  const failures: CheckResult[] = []
  for (const node of plan.order) {
    const confirm = node.confirm
    if (confirm === undefined) continue
    if (typeof confirm === 'string') {
      asked.push({ task: node, question: confirm })
      continue
    }
    let question: string | undefined
    const failure = await inContext(node, root, env, plan.target.name, async (context) => {
      question = String(await confirm(context))
      return undefined
    })
    if (failure !== undefined || question === undefined)
      failures.push({ task: node.name, check: 'its confirm question', failure: failure ?? 'no question' })
    else asked.push({ task: node, question })
  }
  return { asked, failures }
}

/** What each task of the plan that has a `preview` would do (its text, or why it cannot say), in plan order. */
export async function previews(
  plan: Plan,
  root: string,
  env: Record<string, string>,
  args: readonly string[],
): Promise<Array<{ task: string; text?: string; failure?: string }>> {
  const out: Array<{ task: string; text?: string; failure?: string }> = []
  for (const node of plan.order) {
    const preview = node.preview
    if (preview === undefined) continue
    let text: string | undefined
    const failure = await inContext(node, root, env, plan.target.name, async (context) => {
      text = (await preview({ ...context, args: argsOf(plan, node, args) })) ?? undefined
      return undefined
    })
    out.push(failure === undefined ? { task: node.name, text } : { task: node.name, failure })
  }
  return out
}

/** Throws when any check failed, naming each with its task, beside the missing variables when there are some. */
export function assertPassed(results: readonly CheckResult[], missing?: RuntsError): void {
  const failed = results.filter((r) => r.failure !== undefined)
  if (failed.length === 0) {
    if (missing) throw missing
    return
  }
  const lines = failed.map((r) => `  ${r.task}: ${r.failure!.replace(/\n/g, '\n    ')}`)
  const checks = `${failed.length === 1 ? 'a check' : `${failed.length} checks`} failed before anything ran:\n${lines.join('\n')}`
  throw new RuntsError('preflight', missing ? `${missing.message}\n${checks}` : checks, {
    hint: missing
      ? `${missing.hint?.replace(/; nothing was run$/, '')}; and fix what the checks say; nothing was run`
      : 'fix what they say, then run again; nothing was run',
  })
}

/** Runs `fn` as the task's own code would (its env, the project root); a throw or a message is a failure. */
async function inContext(
  node: TaskNode,
  root: string,
  env: Record<string, string>,
  target: string,
  fn: (context: CheckContext) => unknown,
): Promise<string | undefined> {
  const taskEnv = withDefaults(env, node.optional)
  const context: CheckContext = { cwd: root, env: taskEnv, target }
  try {
    const message = await runInScope({ shell: { cwd: root, env: taskEnv } }, async () => fn(context))
    return message === undefined || message === null || message === '' ? undefined : String(message)
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
