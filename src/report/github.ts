/**
 * Under GitHub Actions: every secret is announced with `::add-mask::` before
 * anything else is printed; each task is a collapsible `::group::`, streamed
 * live when it runs alone, printed whole when it ran beside others (groups
 * cannot interleave); a failure is printed again outside any group, with an
 * `::error` annotation.
 */
import type { TaskRecord } from '../run/events.js'
import { Reporter } from './reporter.js'

export class GithubReporter extends Reporter {
  /** Raw values on purpose: the runner masks them in the log from here on. */
  announceSecrets(values: readonly string[]): void {
    const lines = values.filter((v) => !/[\r\n]/.test(v)).map((v) => `::add-mask::${v}\n`)
    if (lines.length > 0) this.out.write(lines.join(''))
  }

  protected override layoutFor(concurrent: boolean): 'stream' | 'prefixed' | 'grouped' {
    return concurrent ? 'grouped' : 'stream'
  }

  protected override taskStarted(task: string): void {
    this.out.write(`::group::${escapeData(task)}\n`)
  }

  protected override taskEnded(): void {
    this.out.write('::endgroup::\n')
  }

  protected override taskGroup(
    task: string,
    parts: Array<['stdout' | 'stderr', string]>,
    status: TaskRecord['status'],
    duration: number,
  ): void {
    // All on stdout, so that nothing of the group lands outside it in the merged log.
    this.out.write(`::group::${escapeData(task)}\n`)
    super.taskGroup(task, parts, status, duration, this.out)
    this.out.write('::endgroup::\n')
  }

  override failure(task: string, text: string): void {
    super.failure(task, text)
    const plain = stripAnsi(this.masker.mask(text)).trim()
    this.out.write(`::error title=${escapeProperty(`runts: task ${task} failed`)}::${escapeData(plain)}\n`)
  }
}

/** GitHub's workflow-command escaping for a message. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}
