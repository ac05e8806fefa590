/**
 * The seam before a task is performed: the runner asks the gate, after the
 * task's deps ran, whether to run it or skip it (the cache), and tells it how
 * a run it allowed ended.
 */
import type { TaskNode } from '../plan/graph.js'

/** One chunk of what a task printed, kept for replay. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr'
  data: Uint8Array
}

export type Opened =
  | {
      action: 'run'
      /** Keep the task's output for `finish` (only a cacheable task needs it). */
      record: boolean
      /** Called once the task ended: `ok` only when it succeeded (never after a failure, a stop or a timeout). */
      finish(result: { ok: boolean; output: readonly OutputChunk[] }): Promise<void>
    }
  | { action: 'skip'; status: 'up-to-date' | 'restored'; output: readonly OutputChunk[] }

export interface Gate {
  open(task: TaskNode, args: readonly string[]): Promise<Opened>
}

/** No cache: every task runs. */
export const alwaysRun: Gate = { open: async () => ({ action: 'run', record: false, finish: async () => {} }) }
