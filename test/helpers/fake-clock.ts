/** A clock for unit tests: time moves only when the test says so. */
import type { Clock } from '../../src/run/clock.js'

export class FakeClock implements Clock {
  time = 0
  private timers: Array<{ at: number; fn: () => void; id: number }> = []
  private ids = 0

  now(): number {
    return this.time
  }

  wall(): number {
    return 1_700_000_000_000 + this.time
  }

  timer(ms: number, fn: () => void): () => void {
    const id = this.ids++
    this.timers.push({ at: this.time + ms, fn, id })
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id)
    }
  }

  /** Move time forward, firing each timer that comes due, in order. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!next) break
      this.timers = this.timers.filter((t) => t !== next)
      this.time = next.at
      next.fn()
    }
    this.time = end
  }

  get pending(): number {
    return this.timers.length
  }
}

/** Let every promise callback that is ready run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve))
