/**
 * Shared-cache artifacts as an attacker would make them, byte by byte: tar
 * headers written directly (node-tar's Header, which writes whatever path and
 * type it is given: `..`, absolute paths, links), gzipped, and uploaded over
 * the Turborepo HTTP API with the team's token (signed when the team has a
 * signing key, which the attacker may hold).
 */
import { createHash, createHmac } from 'node:crypto'
import { request } from 'node:http'
import { createGzip } from 'node:zlib'
import { Header } from 'tar'

/** One archive entry: a file (its bytes, or `zeros` of them), a folder, or a link. */
export interface Member {
  path: string
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link'
  data?: string | Buffer
  /** A file of this many zero bytes, streamed (a gzip bomb). */
  zeros?: number
  mode?: number
  linkpath?: string
}

const BLOCK = 512

/** The gzipped tar of these members, in this order. */
export async function craftArtifact(members: readonly Member[]): Promise<Buffer> {
  const gzip = createGzip({ level: 9 })
  const chunks: Buffer[] = []
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise((resolve) => gzip.on('end', resolve))
  const write = (buffer: Buffer) => new Promise<void>((resolve) => (gzip.write(buffer) ? resolve() : gzip.once('drain', resolve)))
  for (const member of members) {
    const type = member.type ?? 'File'
    const data = member.data === undefined ? Buffer.alloc(0) : Buffer.from(member.data)
    const size = type === 'File' ? (member.zeros ?? data.length) : 0
    const header = new Header({
      path: member.path,
      type,
      size,
      mode: member.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      mtime: new Date('2024-01-01T00:00:00Z'),
      linkpath: member.linkpath,
    })
    const block = Buffer.alloc(BLOCK)
    header.encode(block, 0)
    await write(block)
    if (type !== 'File') continue
    if (member.zeros !== undefined) {
      const zeros = Buffer.alloc(1 << 20)
      for (let left = member.zeros; left > 0; left -= zeros.length) await write(left >= zeros.length ? zeros : zeros.subarray(0, left))
    } else await write(data)
    const pad = (BLOCK - (size % BLOCK)) % BLOCK
    if (pad > 0) await write(Buffer.alloc(pad))
  }
  await write(Buffer.alloc(BLOCK * 2))
  gzip.end()
  await ended
  return Buffer.concat(chunks)
}

/** A content hash as runts writes it (SHA-256, base64url). */
export function contentHash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64url')
}

/** An entry's meta.json for these output files (each path and bytes), under `key`, with an empty output log. */
export function entryMeta(key: string, task: string, outputs: ReadonlyArray<[string, string | Buffer]>): string {
  return JSON.stringify({
    format: 'runts-entry/2',
    key,
    task,
    duration: 1,
    outputs: outputs.map(([file, data]) => ({ file, size: Buffer.from(data).length, hash: contentHash(data) })),
    log: contentHash(''),
  })
}

/** Uploads `body` as the artifact `key` of `team`, as anyone with the token can; signed with `signatureKey` (team slugs sign with no team id). */
export function uploadArtifact(server: { url: string; token: string }, team: string, key: string, body: Buffer, signatureKey?: string) {
  const url = new URL(`/v8/artifacts/${key}`, server.url)
  url.searchParams.set(team.startsWith('team_') ? 'teamId' : 'slug', team)
  const headers: Record<string, string> = {
    authorization: `Bearer ${server.token}`,
    'content-type': 'application/octet-stream',
    'content-length': String(body.length),
  }
  if (signatureKey) {
    const teamId = team.startsWith('team_') ? team : ''
    headers['x-artifact-tag'] = createHmac('sha256', signatureKey).update(key).update(teamId).update(body).digest('base64')
  }
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}
