/**
 * Turns run events into text. Output of a task that runs alone streams
 * straight through; output of tasks that run concurrently is cut into whole
 * lines, each prefixed with the task's name. Every byte is masked first.
 */
import { StringDecoder } from 'node:string_decoder'
import { type Masker, StreamMasker } from '../env/mask.js'
import type { RunEvent, TaskRecord } from '../run/events.js'
import type { Colors } from './colors.js'

export interface Sink {
  write(text: string): void
}

interface TaskStream {
  decoder: StringDecoder
  masker: StreamMasker
  /** A partial line, in prefixed mode. */
  line: string
  /** Shows a partial line that waited too long (a progress line) on its own. */
  timer?: NodeJS.Timeout
}

/** How long a partial line of a concurrent task may wait for its end before it is shown alone. */
const PARTIAL_LINE_MS = 200

const PALETTE = ['cyan', 'magenta', 'yellow', 'blue', 'green'] as const

export class Reporter {
  private readonly streams = new Map<string, TaskStream>()
  private readonly concurrent = new Map<string, string>()
  private width = 0

  constructor(
    private readonly out: Sink,
    private readonly err: Sink,
    private readonly masker: Masker,
    private readonly c: Colors,
  ) {}

  /** Align prefixes to the longest task name of the plan. */
  setTaskNames(names: readonly string[]): void {
    this.width = Math.max(0, ...names.map((n) => n.length))
  }

  handle(event: RunEvent): void {
    const { c } = this
    switch (event.kind) {
      case 'task-start': {
        if (event.concurrent) {
          const color = PALETTE[this.concurrent.size % PALETTE.length]!
          this.concurrent.set(event.task, c[color](`${event.task.padEnd(this.width)} |`))
        }
        this.err.write(`${this.prefix(event.task)}${c.dim('› start')} ${c.bold(event.task)}\n`)
        break
      }
      case 'command':
        this.err.write(`${this.prefix(event.task)}${c.dim('$')} ${this.masker.mask(event.command)}\n`)
        break
      case 'output':
        this.output(event.task, event.stream, event.data)
        break
      case 'output-end':
        this.flush(event.task)
        break
      case 'task-end':
        if (event.status === 'ok' && this.concurrent.has(event.task)) {
          this.err.write(`${this.prefix(event.task)}${c.dim(`✓ done in ${seconds(event.duration)}`)}\n`)
        }
        break
    }
  }

  warn(message: string): void {
    this.err.write(`${this.c.yellow('warning:')} ${this.masker.mask(message)}\n`)
  }

  /** Errors and other messages, masked. */
  message(text: string): void {
    this.err.write(this.masker.mask(text))
  }

  summary(records: readonly TaskRecord[], total: number): void {
    const { c } = this
    const ran = records.filter((r) => r.status === 'ok')
    const failed = records.filter((r) => r.status === 'failed')
    if (failed.length === 0 && ran.length === records.length) {
      const times = ran.length > 1 ? `: ${ran.map((r) => `${r.name} ${seconds(r.duration)}`).join(', ')}` : ''
      this.err.write(`${c.green('✓')} ${ran.length} task${ran.length === 1 ? '' : 's'} done in ${seconds(total)}${times}\n`)
      return
    }
    const by = (status: TaskRecord['status']) =>
      records
        .filter((r) => r.status === status)
        .map((r) => r.name)
        .join(', ')
    const parts = [
      ran.length > 0 ? `done: ${by('ok')}` : '',
      failed.length > 0 ? `failed: ${by('failed')}` : '',
      records.some((r) => r.status === 'cancelled') ? `stopped: ${by('cancelled')}` : '',
      records.some((r) => r.status === 'skipped') ? `not started: ${by('skipped')}` : '',
    ].filter(Boolean)
    this.err.write(`${c.red('✗')} ${parts.join('; ')} (${seconds(total)})\n`)
  }

  private prefix(task: string): string {
    const p = this.concurrent.get(task)
    return p ? `${p} ` : ''
  }

  private stream(task: string, stream: string): TaskStream {
    const key = `${task}\0${stream}`
    let s = this.streams.get(key)
    if (!s) {
      s = { decoder: new StringDecoder('utf8'), masker: new StreamMasker(this.masker), line: '' }
      this.streams.set(key, s)
    }
    return s
  }

  private output(task: string, name: 'stdout' | 'stderr', data: string | Uint8Array): void {
    const s = this.stream(task, name)
    const text = s.masker.push(typeof data === 'string' ? data : s.decoder.write(data as Buffer))
    this.emit(task, name, s, text, false)
  }

  private emit(task: string, name: 'stdout' | 'stderr', s: TaskStream, text: string, final: boolean): void {
    const sink = name === 'stdout' ? this.out : this.err
    const prefix = this.concurrent.get(task)
    if (!prefix) {
      if (text) sink.write(text)
      return
    }
    // Whole lines only, so that two tasks' lines never mix.
    const lines = (s.line + text).split('\n')
    s.line = lines.pop() ?? ''
    if (final && s.line) {
      lines.push(s.line)
      s.line = ''
    }
    if (lines.length > 0) sink.write(lines.map((l) => `${prefix} ${l}\n`).join(''))
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
      this.emit(task, name, s, s.masker.push(s.decoder.end()) + s.masker.end(), true)
      this.streams.delete(`${task}\0${name}`)
    }
  }
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`
}
