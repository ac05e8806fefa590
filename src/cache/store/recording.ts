/**
 * What a running task prints, kept for its cache entry in bounded memory: the
 * first and the last 8 MiB, cut at line ends, with a line in between saying
 * how much was left out. A task that prints a gigabyte costs its run no more
 * memory than one that prints 16 MiB, and its replay shows the start and the
 * end (where a build says what it made).
 *
 * Masked as it comes, each stream on its own (a secret cut across chunks is
 * still one secret), before any cut: a line longer than the bound is cut where
 * the bound falls, and a secret cut there would be half a secret that no
 * later masking could recognise.
 */
import { type Masker, StreamMasker } from '../../env/mask.js'
import type { OutputChunk } from '../../run/gate.js'

/** How much of each end is kept. */
export const KEPT_END_BYTES = 8 * 1024 * 1024

const NEWLINE = 10
const DROPPED: OutputChunk = { stream: 'stdout', data: new Uint8Array(0) }

export class OutputRecording {
  private readonly head: OutputChunk[] = []
  private tail: OutputChunk[] = []
  private headBytes = 0
  private tailBytes = 0
  /** The head is full: everything from now on goes to the tail. */
  private cut = false
  /** Bytes dropped from the front of the tail. */
  private dropped = 0
  /** Where the tail starts in `tail` (entries before it were dropped). */
  private first = 0

  private readonly maskers: Record<OutputChunk['stream'], StreamMasker> | undefined

  /** `masker`: masks text whose characters are bytes (latin1), e.g. the run's `masker.byteMasker()`. */
  constructor(
    private readonly masker?: Masker,
    private readonly endBytes = KEPT_END_BYTES,
  ) {
    this.maskers = masker && { stdout: new StreamMasker(masker), stderr: new StreamMasker(masker) }
  }

  add(stream: OutputChunk['stream'], data: string | Uint8Array): void {
    let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    if (this.maskers && this.masker?.active) {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
      bytes = Buffer.from(this.maskers[stream].push(text), 'latin1')
    }
    this.keep(stream, bytes)
  }

  private keep(stream: OutputChunk['stream'], data: Uint8Array): void {
    // Chunks are kept as they come (nothing writes to them after); only a piece of a large one is copied, so as not to hold all of it.
    let bytes = data
    if (!this.cut) {
      const room = this.endBytes - this.headBytes
      if (bytes.length <= room) {
        this.head.push({ stream, data: bytes })
        this.headBytes += bytes.length
        return
      }
      // The head ends at the last line end that fits, so that no line (and no secret in it) is cut in two.
      const end = room > 0 ? bytes.lastIndexOf(NEWLINE, room - 1) + 1 : 0
      if (end > 0) this.head.push({ stream, data: bytes.slice(0, end) })
      this.headBytes += end
      bytes = bytes.subarray(end)
      this.cut = true
    }
    if (bytes.length > this.endBytes) {
      this.dropped += bytes.length - this.endBytes
      bytes = bytes.slice(bytes.length - this.endBytes)
    }
    this.tail.push({ stream, data: bytes })
    this.tailBytes += bytes.length
    // Dropped from the front by moving an index (a line at a time would make shift() quadratic), compacted now and then.
    while (this.first < this.tail.length - 1 && this.tailBytes - this.tail[this.first]!.data.length >= this.endBytes) {
      const size = this.tail[this.first]!.data.length
      this.tail[this.first++] = DROPPED
      this.tailBytes -= size
      this.dropped += size
    }
    if (this.first > 1024 && this.first * 2 > this.tail.length) {
      this.tail.splice(0, this.first)
      this.first = 0
    }
  }

  /** What was kept, in order (call once the task ended); when something was left out, a line says how much, and the tail starts at a line's start. */
  chunks(): OutputChunk[] {
    // What each masker held back (it could have been the start of a secret) is the end of its stream.
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.maskers?.[stream].end()
      if (rest) this.keep(stream, Buffer.from(rest, 'latin1'))
    }
    const tail = this.tail.slice(this.first)
    if (this.dropped === 0) return [...this.head, ...tail]
    const first = tail[0]!
    const start = first.data.indexOf(NEWLINE) + 1
    const skipped = this.dropped + start
    tail[0] = { stream: first.stream, data: first.data.subarray(start) }
    const last = this.head.at(-1)?.data
    const lineEnded = !last || last.length === 0 || last[last.length - 1] === NEWLINE
    const note = `${lineEnded ? '' : '\n'}[runts: ${mib(skipped)} of this task's output left out of the cache]\n`
    return [...this.head, { stream: 'stderr', data: Buffer.from(note) }, ...tail]
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
}
