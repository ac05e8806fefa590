/**
 * `run --ci github`: the GitHub Actions workflow for the tasks with `ci`,
 * built as data and written by the `yaml` library (loaded only here), with
 * comments saying how it was made and what to set up on GitHub. Same graph
 * and facts, same bytes.
 */
import type { Document } from 'yaml'
import { CiConditionError, jobCondition, triggers } from '../api/ci-events.js'
import { RuntsError } from '../errors.js'
import type { TaskGraph } from '../plan/graph.js'
import { type CiJob, ciJobs } from './jobs.js'
import type { ProjectFacts } from './project.js'
import { jobSteps, type StepOptions } from './steps.js'
import { headerComment, jobComment, PERMISSIONS_COMMENT } from './workflow-comments.js'
import { commentText } from './yaml-text.js'

/** Where `run --ci github` writes, relative to the project root. */
export const WORKFLOW_FILE = '.github/workflows/runts.yml'

export type WorkflowOptions = StepOptions

/** The workflow text for the tasks of `graph` that declare `ci`, set up for the project `facts` describes. */
export async function generateWorkflow(graph: TaskGraph, facts: ProjectFacts, options: WorkflowOptions = {}): Promise<string> {
  const YAML = await import('yaml')
  const jobs = ciJobs(graph, facts)
  const events = new Set(jobs.flatMap((job) => job.events))
  const pushJobs = jobs.filter((job) => job.events.includes('push'))
  // Pushes to every branch, unless every job of pushes names its branches.
  const pushBranches = pushJobs.every((job) => job.branches) ? [...new Set(pushJobs.flatMap((job) => job.branches ?? []))] : undefined
  const condition = (job: CiJob) => {
    try {
      return jobCondition(job, events, pushBranches)
    } catch (error) {
      if (!(error instanceof CiConditionError)) throw error
      throw new RuntsError('ci', error.message, {
        task: error.task ?? job.task,
        hint: 'change the ci options so that GitHub can express them',
      })
    }
  }
  const doc = new YAML.Document({
    name: 'runts',
    on: triggers(events, pushBranches),
    permissions: { contents: 'read' },
    jobs: Object.fromEntries(jobs.map((job) => [job.id, jobData(job, condition(job), facts, options)])),
  })
  doc.commentBefore = commentText(headerComment(options.tasksFile, facts.pipInstall ? 'run' : undefined))
  setComment(doc, ['permissions'], PERMISSIONS_COMMENT)
  for (const job of jobs) setComment(doc, ['jobs', job.id], jobComment(job, facts.python !== undefined))
  // No folding: a long `if:` stays on one line, as a person would write it.
  return doc.toString({ lineWidth: 0, nullStr: '' })
}

function jobData(job: CiJob, condition: string | undefined, facts: ProjectFacts, options: StepOptions): Record<string, unknown> {
  const data: Record<string, unknown> = { name: job.task }
  if (job.needs.length > 0) data.needs = job.needs.map((need) => need.id)
  if (condition) data.if = condition
  data['runs-on'] = 'ubuntu-latest'
  if (job.permissions.length > 0) {
    data.permissions = { contents: 'read', ...Object.fromEntries(job.permissions.map((p) => [p.scope, p.access])) }
  }
  if (job.confirms.length > 0) data.environment = job.id
  if (job.release) data.concurrency = { group: `runts-${job.id}`, 'cancel-in-progress': false }
  // One run per supported Python minor; each reports, whichever fails first.
  if (job.matrix) data.strategy = { 'fail-fast': false, matrix: { python: job.matrix } }
  data.steps = jobSteps(job, facts, options)
  return data
}

/** A comment on its own lines above the key at `path`. */
function setComment(doc: Document, path: string[], text: string | undefined): void {
  if (!text) return
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents
  const items = (parent as { items?: Array<{ key: unknown }> } | null)?.items ?? []
  const key = items.find((pair) => (pair.key as { value?: unknown })?.value === path[path.length - 1])?.key
  if (key && typeof key === 'object') (key as { commentBefore?: string }).commentBefore = commentText(text)
}
