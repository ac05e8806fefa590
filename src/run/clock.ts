/** Time, as the runner and the reporter see it: injected, so that tests run on a fake clock. */

export interface Clock {
  /** Monotonic milliseconds, for durations. */
  now(): number
  /** Milliseconds since the epoch, for start times in reports. */
  wall(): number
  /** Call `fn` after `ms`, as setTimeout does; returns a function that cancels it. */
  timer(ms: number, fn: () => void): () => void
}

/**
 * Milliseconds since the process started, as `performance.now()` counts them, without loading
 * perf_hooks (the `performance` global loads it on first use: about a millisecond of every start).
 */
export const monotonicNow = (): number => process.uptime() * 1000

export const systemClock: Clock = {
  now: monotonicNow,
  wall: () => Date.now(),
  timer: (ms, fn) => {
    const handle = setTimeout(fn, ms)
    return () => clearTimeout(handle)
  },
}
