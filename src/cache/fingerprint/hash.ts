/**
 * Content hashes: SHA-256, written as base64url (43 characters). Files are
 * read in chunks, so that a large output is never held whole in memory.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'

const CHUNK = 1 << 20
let buffer: Buffer | undefined

/** The hash of some bytes or text. */
export function hashOf(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url')
}

/** The hash of a file's content. */
export function hashFile(file: string): string {
  const hash = createHash('sha256')
  const fd = openSync(file, 'r')
  try {
    buffer ??= Buffer.allocUnsafe(CHUNK)
    for (let n = readSync(fd, buffer, 0, CHUNK, null); n > 0; n = readSync(fd, buffer, 0, CHUNK, null)) {
      hash.update(buffer.subarray(0, n))
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest('base64url')
}

/** A hash over several fields, each length-prefixed so that no two lists of fields give the same input. */
export class Digest {
  private readonly hash: Hash = createHash('sha256')

  add(...fields: Array<string | Uint8Array>): this {
    for (const field of fields) {
      const length = typeof field === 'string' ? Buffer.byteLength(field) : field.byteLength
      this.hash.update(`${length}:`).update(field)
    }
    return this
  }

  digest(): string {
    return this.hash.digest('base64url')
  }
}
