/**
 * Writes what a run stopped before anything ran leaves for CI: `--report`
 * and, under GitHub Actions, the step summary, as a run that ran would.
 * Loaded only when a run stops so.
 */
import { appendFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { isRuntsError } from '../errors.js'
import type { Plan } from '../plan/plan.js'
import { type CheckOutcome, notStarted, stoppedMarkdown, stoppedReport } from '../report/stopped.js'
import type { Session } from '../session.js'
import { writeAtomic } from '../util/fs.js'
import type { RunOptions } from './command.js'

/** Writes the report and the step summary of a run that `error` stopped before anything ran; never throws. */
export async function reportStopped(
  session: Session,
  thePlan: Plan,
  options: RunOptions,
  error: unknown,
  checks: readonly CheckOutcome[],
): Promise<void> {
  if (!isRuntsError(error)) return
  const { io, masker } = session
  const summary = io.env.GITHUB_ACTIONS === 'true' && io.env.GITHUB_STEP_SUMMARY
  if (options.report === undefined && !summary) return
  const records = notStarted(thePlan.order.map((n) => n.name))
  const stop = { kind: error.kind, message: error.message, hint: error.hint, exitCode: error.exitCode, checks }
  if (summary) {
    try {
      const { appendStepSummary } = await import('../ci/summary.js')
      appendStepSummary(io.env, records, 0, (file, text) => appendFileSync(file, masker.mask(`${text}${stoppedMarkdown(stop)}\n`)))
    } catch (e) {
      session.warn(`could not write the step summary: ${(e as Error).message}`)
    }
  }
  if (options.report !== undefined) {
    const file = path.resolve(io.cwd, options.report)
    // A report whose folder is missing is the error itself: nowhere to write it.
    if (!existsSync(path.dirname(file))) return
    try {
      writeAtomic(file, masker.mask(stoppedReport(records, stop)))
    } catch (e) {
      session.warn(`could not write the report ${file}: ${(e as Error).message}`)
    }
  }
}
