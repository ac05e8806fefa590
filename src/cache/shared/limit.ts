/**
 * A pass-through stream that fails once more than `max` bytes went through it:
 * what comes from a shared cache, packed or unpacked, is bounded before it
 * reaches the disk or memory (a huge body, a gzip bomb), and so is what goes up.
 */
import { Transform, type TransformCallback } from 'node:stream'

/** The bytes went over the limit. */
export class TooLarge extends Error {
  constructor(
    readonly what: string,
    readonly max: number,
  ) {
    super(`${what} more than ${(max / 1024 ** 2).toFixed(0)} MiB (RUNTS_REMOTE_CACHE_MAX_MB)`)
  }
}

export class Limit extends Transform {
  /** Bytes through so far. */
  bytes = 0

  /** `what` names the bytes in the error: `it sent`, `it unpacks to`. `onChunk` sees each chunk (to hash or sign it on the way). */
  constructor(
    private readonly max: number,
    private readonly what: string,
    private readonly onChunk?: (chunk: Buffer) => void,
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.max) done(new TooLarge(this.what, this.max))
    else {
      this.onChunk?.(chunk)
      done(null, chunk)
    }
  }
}
