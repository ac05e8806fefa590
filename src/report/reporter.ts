/**
 * Turns run events into text, every byte masked first. How a task's output
 * is laid out depends on the output mode:
 *   auto      a task that runs alone streams straight through; tasks that run
 *             concurrently get each line prefixed with their name
 *   prefixed  every line prefixed
 *   grouped   each task's output buffered and printed whole when it ends
 * `GithubReporter` (github.ts) adds GitHub Actions groups and annotations.
 */

import { formatDuration } from '../api/duration.js'
import { type Masker, StreamMasker } from '../env/mask.js'
import type { RuntsError } from '../errors.js'
import type { Sink } from '../io.js'
import { type Clock, systemClock } from '../run/clock.js'
import type { RunEvent, TaskRecord, TaskStatus } from '../run/events.js'
import type { Colors } from './colors.js'
import { Lines } from './lines.js'
import type { OutputMode } from './output-mode.js'
import { summaryText } from './summary.js'

export interface ReporterOptions {
  out: Sink
  err: Sink
  masker: Masker
  c: Colors
  mode?: OutputMode
  /** The one error renderer. */
  render: (error: unknown) => string
  clock?: Clock
}

/**
 * Task output is handled as "byte strings" (latin1: one character per byte), so that what a command
 * writes comes out byte for byte, binary included, while it is masked and cut into lines.
 */
const toBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1')
const fromBytes = (bytes: string): Uint8Array => Buffer.from(bytes, 'latin1')

type StreamName = 'stdout' | 'stderr'

interface TaskStream {
  masker: StreamMasker
  /** Whole lines, in prefixed mode. */
  lines: Lines
  /** Shows a partial line that waited too long (a progress line) on its own. */
  cancelTimer?: () => void
}

export type Layout = 'stream' | 'prefixed' | 'grouped'

/** How long a partial line of a prefixed task may wait for its end before it is shown alone. */
const PARTIAL_LINE_MS = 200
const PALETTE = ['cyan', 'magenta', 'yellow', 'blue', 'green'] as const

export class Reporter {
  protected readonly out: Sink
  protected readonly err: Sink
  protected readonly masker: Masker
  protected readonly c: Colors
  private readonly mode: OutputMode
  protected readonly render: (error: unknown) => string
  private readonly clock: Clock
  private readonly streams = new Map<string, TaskStream>()
  private readonly layouts = new Map<string, Layout>()
  private readonly prefixes = new Map<string, string>()
  private readonly buffers = new Map<string, Array<[StreamName, string]>>()
  /** Tasks with no `run` of their own: nothing to show but their place in the summary. */
  private readonly pipelines = new Set<string>()
  private width = 0

  constructor(options: ReporterOptions) {
    this.out = options.out
    this.err = options.err
    this.masker = options.masker
    this.c = options.c
    this.mode = options.mode ?? 'auto'
    this.render = options.render
    this.clock = options.clock ?? systemClock
  }

  /** Align prefixes to the longest task name of the plan. */
  setTaskNames(names: readonly string[]): void {
    this.width = Math.max(0, ...names.map((n) => this.masker.mask(n).length))
  }

  handle(event: RunEvent): void {
    switch (event.kind) {
      case 'task-start':
        if (event.pipeline) this.pipelines.add(event.task)
        else this.start(event.task, this.layoutFor(event.concurrent), event.replay)
        break
      case 'command':
        this.write(event.task, 'stderr', `${this.c.dim('$')} ${this.masker.mask(event.command)}\n`, true)
        break
      case 'output':
        this.output(event.task, event.stream, event.data)
        break
      case 'output-end':
        this.flush(event.task)
        break
      case 'task-end': {
        if (this.pipelines.has(event.task)) break
        const layout = this.layouts.get(event.task) ?? 'stream'
        if (layout === 'grouped') this.taskGroup(event.task, this.buffers.get(event.task) ?? [], event.status, event.duration)
        else this.taskEnded(event.task, layout, event.status, event.duration)
        this.buffers.delete(event.task)
        break
      }
    }
  }

  warn(message: string): void {
    this.err.write(`${this.c.yellow('warning:')} ${this.masker.mask(message)}\n`)
  }

  /** A failure (a task's, a stopped run's, a report that could not be written), shown once outside any group. */
  failure(error: RuntsError): void {
    this.err.write(this.masker.mask(this.render(error)))
  }

  summary(records: readonly TaskRecord[], total: number): void {
    // Task names may hold a secret (`name: 'deploy-' + env.KEY`): everything runts prints is masked.
    this.err.write(this.masker.mask(summaryText(records, total, this.c)))
  }

  protected layoutFor(concurrent: boolean): Layout {
    if (this.mode === 'grouped') return 'grouped'
    if (this.mode === 'prefixed' || concurrent) return 'prefixed'
    return 'stream'
  }

  private start(task: string, layout: Layout, replay: 'up-to-date' | 'restored' | undefined): void {
    this.layouts.set(task, layout)
    if (layout === 'prefixed') {
      const color = PALETTE[this.prefixes.size % PALETTE.length]!
      this.prefixes.set(task, this.c[color](`${this.masker.mask(task).padEnd(this.width)} |`))
    }
    if (layout === 'grouped') this.buffers.set(task, [])
    else this.taskStarted(task, layout, replay)
  }

  protected taskStarted(task: string, _layout: Layout, replay: 'up-to-date' | 'restored' | undefined): void {
    const how = replay === 'up-to-date' ? '› up to date' : replay === 'restored' ? '› restored' : '› start'
    this.write(task, 'stderr', `${this.c.dim(how)} ${this.c.bold(task)}\n`, true)
  }

  protected taskEnded(task: string, layout: Layout, status: TaskStatus, duration: number): void {
    if (layout === 'prefixed' && status === 'ok')
      this.write(task, 'stderr', `${this.c.dim(`✓ done in ${formatDuration(duration)}`)}\n`, true)
  }

  /** A grouped task's whole output, once it has ended. */
  protected taskGroup(task: string, parts: Array<[StreamName, string]>, status: TaskStatus, duration: number, oneSink?: Sink): void {
    const { c } = this
    const sink = (name: StreamName) => oneSink ?? (name === 'stdout' ? this.out : this.err)
    const mark = status === 'failed' ? c.red('✗') : status === 'cancelled' ? c.yellow('■') : c.green('✓')
    sink('stderr').write(`${mark} ${c.bold(this.masker.mask(task))} ${c.dim(formatDuration(duration))}\n`)
    for (const [name, bytes] of parts) sink(name).write(fromBytes(bytes))
    const last = parts.at(-1)
    if (last && !last[1].endsWith('\n')) sink(last[0]).write('\n')
  }

  private stream(task: string, name: StreamName): TaskStream {
    const key = `${task}\0${name}`
    let s = this.streams.get(key)
    if (!s) {
      s = { masker: new StreamMasker(this.masker.byteMasker()), lines: new Lines() }
      this.streams.set(key, s)
    }
    return s
  }

  private output(task: string, name: StreamName, data: string | Uint8Array): void {
    const s = this.stream(task, name)
    const bytes = typeof data === 'string' ? toBytes(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1')
    this.emit(task, name, s, s.masker.push(bytes), false)
  }

  /** A whole line of runts' own (a header, a traced command), laid out like the task's output. */
  private write(task: string, name: StreamName, text: string, whole: boolean): void {
    this.writeBytes(task, name, toBytes(this.masker.mask(text)), whole)
  }

  private writeBytes(task: string, name: StreamName, bytes: string, whole: boolean): void {
    const layout = this.layouts.get(task) ?? 'stream'
    if (layout === 'grouped') this.buffers.get(task)?.push([name, bytes])
    else if (layout === 'prefixed' && whole) this.sink(name).write(fromBytes(`${toBytes(this.prefixes.get(task) ?? '')} ${bytes}`))
    else this.sink(name).write(fromBytes(bytes))
  }

  private sink(name: StreamName): Sink {
    return name === 'stdout' ? this.out : this.err
  }

  private emit(task: string, name: StreamName, s: TaskStream, text: string, final: boolean): void {
    if ((this.layouts.get(task) ?? 'stream') !== 'prefixed') {
      if (text) this.writeBytes(task, name, text, false)
      return
    }
    // Whole lines only, so that two tasks' lines never mix.
    const lines = s.lines.push(text)
    if (final && s.lines.pending) lines.push(s.lines.rest())
    this.writeLines(task, name, lines)
    if (!s.lines.pending) {
      s.cancelTimer?.()
      s.cancelTimer = undefined
    } else if (!s.cancelTimer) {
      // Timed from when the partial line began, so that a stream of small pieces cannot hold it back forever.
      s.cancelTimer = this.clock.timer(PARTIAL_LINE_MS, () => {
        s.cancelTimer = undefined
        if (s.lines.pending) this.writeLines(task, name, [s.lines.rest()])
      })
    }
  }

  private writeLines(task: string, name: StreamName, lines: string[]): void {
    if (lines.length === 0) return
    const prefix = toBytes(this.prefixes.get(task) ?? '')
    this.sink(name).write(fromBytes(lines.map((l) => `${prefix} ${l}\n`).join('')))
  }

  private flush(task: string): void {
    for (const name of ['stdout', 'stderr'] as const) {
      const s = this.streams.get(`${task}\0${name}`)
      if (!s) continue
      this.emit(task, name, s, s.masker.end(), true)
      s.cancelTimer?.()
      this.streams.delete(`${task}\0${name}`)
    }
  }
}
