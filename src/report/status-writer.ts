/**
 * Keeps the status line drawn at the bottom of the terminal while a run writes above it. It wraps the
 * reporter's sinks (every write erases the line first and draws it again after a whole line) and
 * follows the run's events for what runs and how many tasks are done. Clock, width and timer come in.
 */

import type { Sink } from '../io.js'
import type { RunEvent } from '../run/events.js'
import type { Colors } from './colors.js'
import { drawStatus, ERASE_LINE, statusLine } from './status-line.js'

export interface StatusWriterOptions {
  /** Where the line is drawn: the terminal on stderr. */
  terminal: Sink
  /** Tasks of the plan with a `run` of their own. */
  total: number
  now(): number
  /** The terminal's width now (it may be resized during the run). */
  width(): number
  colors?: Colors
  /** Calls `tick` every `ms`; returns a function that stops it. Defaults to an unref'd setInterval. */
  every?(ms: number, tick: () => void): () => void
}

export class StatusWriter {
  private readonly running: string[] = []
  private done = 0
  private readonly started: number
  /** The line is on the screen now. */
  private shown = false
  /** The last output did not end its line: drawing now would append to it. */
  private partial = false
  /** Tasks that own the terminal (`interactive`): no line while they run. */
  private readonly interactive = new Set<string>()
  private stopTimer?: () => void
  private stopped = false

  constructor(private readonly options: StatusWriterOptions) {
    this.started = options.now()
    const every =
      options.every ??
      ((ms: number, tick: () => void) => {
        const timer = setInterval(tick, ms)
        timer.unref()
        return () => clearInterval(timer)
      })
    this.stopTimer = every(1000, () => this.draw())
  }

  /** A sink that writes above the line: give the reporter these instead of the terminal's own. */
  wrap(target: Sink): Sink {
    return { write: (chunk) => this.write(target, chunk) }
  }

  handle(event: RunEvent): void {
    if (event.kind === 'task-start' && !event.pipeline) {
      this.running.push(event.task)
      if (event.interactive) {
        this.interactive.add(event.task)
        this.erase()
      }
    } else if (event.kind === 'task-end' && this.running.includes(event.task)) {
      this.running.splice(this.running.indexOf(event.task), 1)
      this.interactive.delete(event.task)
      this.done++
    } else return
    this.draw()
  }

  /** Erases the line for good (before the summary). */
  stop(): void {
    this.stopTimer?.()
    this.erase()
    this.stopped = true
  }

  private write(target: Sink, chunk: string | Uint8Array): void {
    if (chunk.length === 0) return
    this.erase()
    target.write(chunk)
    const last = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1]
    this.partial = last !== 10
    this.draw()
  }

  private erase(): void {
    if (!this.shown) return
    this.options.terminal.write(ERASE_LINE)
    this.shown = false
  }

  private draw(): void {
    if (this.stopped || this.partial || this.interactive.size > 0) return
    const state = {
      done: this.done,
      total: this.options.total,
      running: this.running,
      elapsedMs: this.options.now() - this.started,
      width: this.options.width(),
    }
    this.options.terminal.write(drawStatus(statusLine(state, this.options.colors)))
    this.shown = true
  }
}
