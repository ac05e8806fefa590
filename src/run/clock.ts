/** Time, as the runner and the reporter see it: injected, so that tests run on a fake clock. */

export interface Clock {
  /** Monotonic milliseconds, for durations. */
  now(): number
  /** Milliseconds since the epoch, for start times in reports. */
  wall(): number
  /** Call `fn` after `ms`, as setTimeout does; returns a function that cancels it. */
  timer(ms: number, fn: () => void): () => void
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wall: () => Date.now(),
  timer: (ms, fn) => {
    const handle = setTimeout(fn, ms)
    return () => clearTimeout(handle)
  },
}
