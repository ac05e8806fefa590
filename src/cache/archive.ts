/**
 * Archives, with the `tar` package (loaded on first use: an up-to-date check
 * never needs it). A task's outputs are one plain tar in its entry (restoring
 * is then a straight copy); a whole entry travels to the shared cache as one
 * gzipped tar.
 */
import { writeFileSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'

type Tar = typeof import('tar')
let loaded: Promise<Tar> | undefined
const tar = (): Promise<Tar> => {
  loaded ??= import('tar')
  return loaded
}

/** Archives these files (paths relative to `root`) into `file`. */
export async function packFiles(root: string, files: readonly string[], file: string): Promise<void> {
  // tar refuses an empty list; an empty archive is two zero blocks.
  if (files.length === 0) return writeFileSync(file, Buffer.alloc(1024))
  const { create } = await tar()
  await create({ cwd: root, file, portable: true, noDirRecurse: true, strict: true }, [...files])
}

/** Writes an archive's files under `root`, replacing what is there (a link is replaced, never written through). */
export async function unpackFiles(file: string, root: string): Promise<void> {
  const { extract } = await tar()
  await extract({ cwd: root, file, unlink: true, strict: true })
}

/** One entry folder (these files of it) as a gzipped tar, in memory: the body of a shared-cache artifact. */
export async function packFolder(dir: string, names: readonly string[]): Promise<Buffer> {
  const { create } = await tar()
  const chunks: Buffer[] = []
  const sink = new PassThrough()
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  await pipeline(create({ cwd: dir, gzip: true, portable: true, strict: true }, [...names]), sink)
  return Buffer.concat(chunks)
}

/** Unpacks a gzipped tar into `dir`, keeping only the named files; a damaged archive rejects. */
export async function unpackFolder(body: Uint8Array, dir: string, names: readonly string[]): Promise<void> {
  const { extract } = await tar()
  const allowed = new Set(names)
  const source = new PassThrough()
  source.end(body)
  await pipeline(source, extract({ cwd: dir, strict: true, filter: (entry) => allowed.has(entry) }))
}
