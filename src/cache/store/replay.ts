/**
 * What a task printed, kept to be shown again when it is skipped or restored:
 * frames of one stream byte (0 stdout, 1 stderr), a 4-byte length, the bytes.
 * Kept masked: no secret is written to the cache in clear.
 */
import { Masker } from '../../env/mask.js'
import { findSecrets } from '../../env/secrets.js'
import type { OutputChunk } from '../../run/gate.js'

/** Masks text whose characters are bytes (latin1), e.g. `masker.byteMasker().mask`. */
export type MaskBytes = (latin1: string) => string

/** Without the run's masker, at least every variable whose name says it is secret is masked: a masker of bytes (latin1 text). */
export function secretsMasker(env: Readonly<Record<string, string | undefined>>): Masker {
  return new Masker(findSecrets(env).values).byteMasker()
}

/** The chunks as one buffer; consecutive chunks of one stream are joined, so that a secret cut in two is still masked. */
export function encodeOutput(chunks: readonly OutputChunk[], mask?: MaskBytes): Buffer {
  const runs: Array<{ stream: OutputChunk['stream']; parts: Uint8Array[] }> = []
  for (const chunk of chunks) {
    const last = runs[runs.length - 1]
    if (last && last.stream === chunk.stream) last.parts.push(chunk.data)
    else runs.push({ stream: chunk.stream, parts: [chunk.data] })
  }
  const frames: Buffer[] = []
  for (const run of runs) {
    let data = Buffer.concat(run.parts)
    if (mask) data = Buffer.from(mask(data.toString('latin1')), 'latin1')
    const header = Buffer.alloc(5)
    header[0] = run.stream === 'stdout' ? 0 : 1
    header.writeUInt32LE(data.length, 1)
    frames.push(header, data)
  }
  return Buffer.concat(frames)
}

/** The chunks back; throws on a damaged buffer. */
export function decodeOutput(buffer: Uint8Array): OutputChunk[] {
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  const chunks: OutputChunk[] = []
  for (let at = 0; at < bytes.length; ) {
    if (at + 5 > bytes.length || bytes[at]! > 1) throw new Error('damaged output log')
    const length = bytes.readUInt32LE(at + 1)
    const end = at + 5 + length
    if (end > bytes.length) throw new Error('damaged output log')
    chunks.push({ stream: bytes[at] === 0 ? 'stdout' : 'stderr', data: bytes.subarray(at + 5, end) })
    at = end
  }
  return chunks
}
