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

/**
 * A terminal's string commands: OSC (window title, clipboard write, hyperlinks), DCS, SOS, PM and APC,
 * introduced by ESC or by their C1 code points (UTF-8), ended by BEL, ST, or the end of the text. A log
 * may come from the shared cache, written by anyone holding its token: shown again, it must not write
 * to the clipboard or the title. Colours and cursor moves (CSI) stay.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal commands are what it finds
const STRING_COMMANDS = /(?:\x1b[\]PX^_]|\xc2[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\xc2\x9c|$)/g

/** Output to show again, without the terminal's string commands (latin1 in, latin1 out: bytes as they are). */
export function withoutStringCommands(data: Uint8Array): Uint8Array {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1')
  if (!text.includes('\x1b') && !text.includes('\xc2')) return data
  return Buffer.from(text.replace(STRING_COMMANDS, ''), 'latin1')
}

/** The chunks back, without the terminal's string commands; throws on a damaged buffer. */
export function decodeOutput(buffer: Uint8Array): OutputChunk[] {
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  const chunks: OutputChunk[] = []
  for (let at = 0; at < bytes.length; ) {
    if (at + 5 > bytes.length || bytes[at]! > 1) throw new Error('damaged output log')
    const length = bytes.readUInt32LE(at + 1)
    const end = at + 5 + length
    if (end > bytes.length) throw new Error('damaged output log')
    chunks.push({ stream: bytes[at] === 0 ? 'stdout' : 'stderr', data: withoutStringCommands(bytes.subarray(at + 5, end)) })
    at = end
  }
  return chunks
}
