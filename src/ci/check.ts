/**
 * `run --ci github --check`: is the committed workflow what `run --ci github`
 * would write now? When not, a unified diff from the file on disk to the
 * expected text (the `diff` library, loaded only here), so that a reviewer
 * sees which jobs or secrets moved.
 */
import { WORKFLOW_FILE } from './workflow.js'

export interface WorkflowCheck {
  upToDate: boolean
  /** What to tell the user, in one line. */
  message: string
  /** From the file on disk (`a/…`, or `/dev/null` when missing) to what would be written (`b/…`); empty when up to date. */
  diff: string
}

/**
 * Compares the workflow on disk (undefined when there is none) with `expected`. Line endings are
 * compared as `\n`: a checkout that turned them into `\r\n` (git's autocrlf) is not stale.
 */
export async function checkWorkflow(
  onDisk: string | undefined,
  expected: string,
  file = WORKFLOW_FILE,
  /** How the project calls runts: `npx run`, or `run` when it comes from PyPI. */
  run = 'npx run',
): Promise<WorkflowCheck> {
  const actual = onDisk?.replace(/\r\n/g, '\n')
  if (actual === expected) return { upToDate: true, message: `${file} is up to date`, diff: '' }
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import('diff')
  const diff = createTwoFilesPatch(
    actual === undefined ? '/dev/null' : `a/${file}`,
    `b/${file}`,
    actual ?? '',
    expected,
    undefined,
    undefined,
    {
      headerOptions: FILE_HEADERS_ONLY,
    },
  )
  const message =
    actual === undefined
      ? `${file} does not exist; run \`${run} --ci github\` to write it, and commit it`
      : `${file} is stale: it is not what \`run --ci github\` writes for the tasks file as it is now; run \`${run} --ci github\` and commit the result`
  return { upToDate: false, message, diff }
}
