/**
 * What zx keeps of a command's output, so that a task can read it
 * (`(await $\`git rev-parse HEAD\`).stdout`): up to a budget per command.
 * zx keeps every chunk by default, so 1 GB through `run` used 1 GB and more
 * of memory; past the budget nothing more is kept, and reading the output
 * then throws, saying so, instead of giving a silently cut text.
 */

/** 16 MiB of output per command is kept for the task to read. */
export const KEPT_BYTES = 16 * 1024 * 1024

type Chunk = string | Buffer

/** Chunks up to the budget; once over it, the array refuses to be read as a whole. */
class Kept extends Array<Chunk> {
  constructor(readonly budget: { left: number; over: boolean }) {
    super()
  }

  override push(...chunks: Chunk[]): number {
    for (const chunk of chunks) {
      this.budget.left -= chunk.length
      if (this.budget.left < 0) this.budget.over = true
      if (!this.budget.over) super.push(chunk)
    }
    return this.length
  }

  // Array methods that make new arrays (map, filter, slice) make plain arrays.
  static override get [Symbol.species]() {
    return Array
  }
}

// zx joins the chunks with reduce() (or join()) when a task reads `.stdout`, `.stderr`, `.text()` or `.lines()`.
for (const method of ['reduce', 'join'] as const) {
  const original = Array.prototype[method] as (...args: unknown[]) => unknown
  Object.defineProperty(Kept.prototype, method, {
    value(this: Kept, ...args: unknown[]) {
      if (this.budget.over) {
        throw new Error(
          `this command printed more than ${KEPT_BYTES / 1024 / 1024} MiB, so runts streamed its output without keeping it: write it to a file (cmd > out.txt) and read that`,
        )
      }
      return original.apply(this, args)
    },
  })
}

/** A fresh store for one command, in the shape zx expects. */
export function keptOutput(): { stdout: Chunk[]; stderr: Chunk[]; stdall: Chunk[] } {
  const budget = { left: KEPT_BYTES, over: false }
  // stdall holds the same chunks as stdout and stderr: it counts against a budget of its own.
  return { stdout: new Kept(budget), stderr: new Kept(budget), stdall: new Kept({ left: KEPT_BYTES, over: false }) }
}
