/**
 * Turns run events into text, every byte masked first. How a task's output
 * is laid out depends on the output mode:
 *   auto      a task that runs alone streams straight through; tasks that run
 *             concurrently get each line prefixed with their name
 *   prefixed  every line prefixed
 *   grouped   each task's output buffered and printed whole when it ends
 * `GithubReporter` (github.ts) adds GitHub Actions groups and annotations.
 */
import type { OutputMode } from '../cli/args.js'
import { type Masker, StreamMasker } from '../env/mask.js'
import { formatDuration } from '../run/duration.js'
import type { RunEvent, TaskRecord } from '../run/events.js'
import type { Colors } from './colors.js'

export interface Sink {
  write(text: string | Uint8Array): void
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
  /** A partial line, in prefixed mode. */
  line: string
  /** Shows a partial line that waited too long (a progress line) on its own. */
  timer?: NodeJS.Timeout
}

type Layout = 'stream' | 'prefixed' | 'grouped'

/** How long a partial line of a prefixed task may wait for its end before it is shown alone. */
const PARTIAL_LINE_MS = 200
const PALETTE = ['cyan', 'magenta', 'yellow', 'blue', 'green'] as const

export class Reporter {
  private readonly streams = new Map<string, TaskStream>()
  private readonly layouts = new Map<string, Layout>()
  private readonly prefixes = new Map<string, string>()
  private readonly buffers = new Map<string, Array<[StreamName, string]>>()
  /** Tasks with no `run` of their own: nothing to show but their place in the summary. */
  private readonly pipelines = new Set<string>()
  private width = 0

  constructor(
    protected readonly out: Sink,
    protected readonly err: Sink,
    protected readonly masker: Masker,
    protected readonly c: Colors,
    private readonly mode: OutputMode = 'auto',
  ) {}

  /** Align prefixes to the longest task name of the plan. */
  setTaskNames(names: readonly string[]): void {
    this.width = Math.max(0, ...names.map((n) => n.length))
  }

  handle(event: RunEvent): void {
    const { c } = this
    switch (event.kind) {
      case 'task-start': {
        if (event.pipeline) {
          this.pipelines.add(event.task)
          break
        }
        const layout = this.layoutFor(event.concurrent)
        this.layouts.set(event.task, layout)
        if (layout === 'prefixed') {
          const color = PALETTE[this.prefixes.size % PALETTE.length]!
          this.prefixes.set(event.task, c[color](`${event.task.padEnd(this.width)} |`))
        }
        if (layout === 'grouped') this.buffers.set(event.task, [])
        else this.taskStarted(event.task, layout)
        break
      }
      case 'command':
        this.write(event.task, 'stderr', `${c.dim('$')} ${this.masker.mask(event.command)}\n`, true)
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

  /** Errors and other messages, masked. */
  message(text: string): void {
    this.err.write(this.masker.mask(text))
  }

  /** Shown once a task has failed, outside any group. */
  failure(_task: string, text: string): void {
    this.message(text)
  }

  summary(records: readonly TaskRecord[], total: number): void {
    const { c } = this
    const ok = records.every((r) => r.status === 'ok')
    if (ok && records.length === 1) {
      this.err.write(`${c.green('✓')} ${records[0]!.name} done in ${formatDuration(total)}\n`)
      return
    }
    const width = Math.max(...records.map((r) => r.name.length))
    const mark = { ok: c.green('✓'), failed: c.red('✗'), cancelled: c.yellow('■'), skipped: c.dim('-') }
    const detail = (r: TaskRecord) => {
      if (r.status === 'ok') return formatDuration(r.duration)
      if (r.status === 'failed') return `${formatDuration(r.duration)}  ${c.red(`failed${r.exitCode ? ` (exit ${r.exitCode})` : ''}`)}`
      if (r.status === 'cancelled') return `${formatDuration(r.duration)}  ${c.yellow('stopped')}`
      return c.dim('not started')
    }
    const lines = records.map((r) => `  ${mark[r.status]} ${r.name.padEnd(width)}  ${detail(r)}`)
    const count = (s: TaskRecord['status']) => records.filter((r) => r.status === s).length
    const parts = [
      `${count('ok')} done`,
      count('failed') ? `${count('failed')} failed` : '',
      count('cancelled') ? `${count('cancelled')} stopped` : '',
      count('skipped') ? `${count('skipped')} not started` : '',
    ].filter(Boolean)
    const head = ok
      ? `${c.green('✓')} ${records.length} tasks done in ${formatDuration(total)}`
      : `${c.red('✗')} ${parts.join(', ')} in ${formatDuration(total)}`
    this.err.write(`${lines.join('\n')}\n${head}\n`)
  }

  protected layoutFor(concurrent: boolean): Layout {
    if (this.mode === 'grouped') return 'grouped'
    if (this.mode === 'prefixed' || concurrent) return 'prefixed'
    return 'stream'
  }

  protected taskStarted(task: string, _layout: Layout): void {
    this.write(task, 'stderr', `${this.c.dim('› start')} ${this.c.bold(task)}\n`, true)
  }

  protected taskEnded(task: string, layout: Layout, status: TaskRecord['status'], duration: number): void {
    if (layout === 'prefixed' && status === 'ok')
      this.write(task, 'stderr', `${this.c.dim(`✓ done in ${formatDuration(duration)}`)}\n`, true)
  }

  /** A grouped task's whole output, once it has ended. */
  protected taskGroup(
    task: string,
    parts: Array<[StreamName, string]>,
    status: TaskRecord['status'],
    duration: number,
    oneSink?: Sink,
  ): void {
    const { c } = this
    const sink = (name: StreamName) => oneSink ?? (name === 'stdout' ? this.out : this.err)
    const mark = status === 'ok' ? c.green('✓') : status === 'failed' ? c.red('✗') : c.yellow('■')
    sink('stderr').write(`${mark} ${c.bold(task)} ${c.dim(formatDuration(duration))}\n`)
    for (const [name, bytes] of parts) sink(name).write(fromBytes(bytes))
    const last = parts.at(-1)
    if (last && !last[1].endsWith('\n')) sink(last[0]).write('\n')
  }

  private stream(task: string, name: StreamName): TaskStream {
    const key = `${task}\0${name}`
    let s = this.streams.get(key)
    if (!s) {
      s = { masker: new StreamMasker(this.masker.bytes), line: '' }
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
    this.writeBytes(task, name, toBytes(text), whole)
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
    const layout = this.layouts.get(task) ?? 'stream'
    if (layout !== 'prefixed') {
      if (text) this.writeBytes(task, name, text, false)
      return
    }
    // Whole lines only, so that two tasks' lines never mix.
    const sink = this.sink(name)
    const prefix = toBytes(this.prefixes.get(task) ?? '')
    const lines = (s.line + text).split('\n')
    s.line = lines.pop() ?? ''
    if (final && s.line) {
      lines.push(s.line)
      s.line = ''
    }
    if (lines.length > 0) sink.write(fromBytes(lines.map((l) => `${prefix} ${l}\n`).join('')))
    clearTimeout(s.timer)
    if (s.line) {
      s.timer = setTimeout(() => this.emit(task, name, s, '', true), PARTIAL_LINE_MS)
      s.timer.unref()
    }
  }

  private flush(task: string): void {
    for (const name of ['stdout', 'stderr'] as const) {
      const s = this.streams.get(`${task}\0${name}`)
      if (!s) continue
      this.emit(task, name, s, s.masker.end(), true)
      this.streams.delete(`${task}\0${name}`)
    }
  }
}
