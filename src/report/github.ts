/**
 * GitHub Actions: each task is a collapsible `::group::`, streamed live when
 * it runs alone, printed whole when it ran beside others (groups cannot
 * interleave); a failure is printed again outside any group, with an
 * `::error` annotation. Secrets are announced to the log by the session
 * (`::add-mask::`) as soon as they are known.
 */
import type { RuntsError } from '../errors.js'
import type { Sink } from '../io.js'
import type { TaskStatus } from '../run/events.js'
import { type Layout, Reporter } from './reporter.js'

export class GithubReporter extends Reporter {
  protected override layoutFor(concurrent: boolean): Layout {
    return concurrent ? 'grouped' : 'stream'
  }

  protected override taskStarted(task: string, _layout: Layout, replay: 'up-to-date' | 'restored' | undefined): void {
    const title = replay ? `${task} (${replay === 'up-to-date' ? 'up to date' : 'restored'})` : task
    this.out.write(`::group::${escapeData(this.masker.mask(title))}\n`)
  }

  protected override taskEnded(): void {
    this.out.write('::endgroup::\n')
  }

  protected override taskGroup(task: string, parts: Array<['stdout' | 'stderr', string]>, status: TaskStatus, duration: number): void {
    // All on stdout, so that nothing of the group lands outside it in the merged log.
    this.out.write(`::group::${escapeData(this.masker.mask(task))}\n`)
    super.taskGroup(task, parts, status, duration, this.out as Sink)
    this.out.write('::endgroup::\n')
  }

  override failure(error: RuntsError): void {
    super.failure(error)
    if (!error.task) return
    const plain = stripAnsi(this.masker.mask(this.render(error)))
      .replace(/^error: /, '')
      .trim()
    this.out.write(`::error title=${escapeProperty(this.masker.mask(`runts: task ${error.task} failed`))}::${escapeData(plain)}\n`)
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
