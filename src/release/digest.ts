/**
 * The digests a release is known by: sha256 (what a PyPI-style index lists
 * beside each file) and npm's `dist.integrity` (Subresource Integrity,
 * `sha512-<base64>`). Files are read as a stream, never whole.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { ReleaseFile } from './release-files.js'

/** The sha256 of a file, in hex (as an index lists it). */
export async function sha256File(file: string): Promise<string> {
  return (await hashFile(file, 'sha256')).toString('hex')
}

/** The files of a release with their sha256. */
export async function withSha256(files: readonly string[]): Promise<ReleaseFile[]> {
  return Promise.all(
    files.map(async (file) => ({ filename: path.basename(file), path: path.resolve(file), digest: await sha256File(file) })),
  )
}

/** npm's integrity string for a file: `sha512-` and the base64 digest (as `npm pack` and a registry's `dist.integrity` have it). */
export async function integrityOfFile(file: string): Promise<string> {
  return `sha512-${(await hashFile(file, 'sha512')).toString('base64')}`
}

/** An SRI string's algorithm and base64 digest (`sha512-…`); undefined for what is not one. */
export function parseIntegrity(integrity: string): { algorithm: 'sha512' | 'sha384' | 'sha256' | 'sha1'; digest: string } | undefined {
  // A registry may list several (`sha512-… sha1-…`): the strongest counts.
  const parts = integrity.trim().split(/\s+/)
  for (const algorithm of ['sha512', 'sha384', 'sha256', 'sha1'] as const) {
    const part = parts.find((p) => p.startsWith(`${algorithm}-`))
    if (part && /^[A-Za-z0-9+/]+={0,2}$/.test(part.slice(algorithm.length + 1)))
      return { algorithm, digest: part.slice(algorithm.length + 1) }
  }
  return undefined
}

/**
 * Whether a registry's `dist.integrity` is a Subresource Integrity string runts can check a download against:
 * printable `algorithm-base64` parts (options after `?` allowed), one of them sha512, sha384, sha256 or sha1.
 */
export function isIntegrity(integrity: string): boolean {
  const parts = integrity.trim().split(/\s+/)
  return parts.every((p) => /^[a-z0-9]+-[A-Za-z0-9+/]+={0,2}(?:\?[\x21-\x7e]*)?$/.test(p)) && parseIntegrity(integrity) !== undefined
}

function hashFile(file: string, algorithm: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm)
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest()))
  })
}
