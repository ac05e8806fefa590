/**
 * Shared-cache artifacts: an entry folder (its description, output log and
 * output files) as one gzipped tar, with the `tar` package (loaded on first
 * use: neither an up-to-date check nor a local restore needs it). Both ways
 * are streams through a file, bounded in size: memory does not grow with
 * the artifact.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { Limit } from './limit.js'

type Tar = typeof import('tar')
let loaded: Promise<Tar> | undefined
const tar = (): Promise<Tar> => {
  loaded ??= import('tar')
  return loaded
}

/**
 * These files and folders of `dir`, as a gzipped tar written to `file`, at most `max` bytes (a
 * `TooLarge` error past it, before the rest is packed). `onChunk` sees the bytes as they are written.
 * Returns the size.
 */
export async function packFolder(
  dir: string,
  names: readonly string[],
  file: string,
  max: number,
  onChunk?: (chunk: Buffer) => void,
): Promise<number> {
  const { create } = await tar()
  const limit = new Limit(max, 'its outputs pack to', onChunk)
  // Files are read 1 MiB at a time (tar's default, 16 MiB, held several such buffers at once).
  const pack = create({ cwd: dir, gzip: true, portable: true, strict: true, maxReadSize: 1 << 20 }, [...names])
  await pipeline(pack, limit, createWriteStream(file))
  return limit.bytes
}

/** Why an archive entry may not be unpacked (its path as written in the archive), or undefined when it may. */
export type EntryCheck = (path: string, type: string | undefined) => string | undefined

/**
 * Unpacks the gzipped tar in `file` into `dir`: at most `max` bytes once unzipped (a gzip bomb stops
 * there). Every entry is checked first (`check`): one it refuses (a link, a path out of the folder, a
 * file not among the task's outputs) refuses the whole archive: throws with the reason. A damaged
 * archive throws too.
 */
export async function unpackFolder(file: string, dir: string, max: number, check: EntryCheck): Promise<void> {
  const { extract } = await tar()
  let refused: string | undefined
  const unpack = extract({
    cwd: dir,
    strict: true,
    preserveOwner: false,
    filter: (entry, stat) => {
      if (refused) return false
      refused = check(entry, 'type' in stat ? stat.type : undefined)
      if (refused) return false
      // A mode for the files we make: no set-id bits, never writable by others.
      if ('mode' in stat && typeof stat.mode === 'number') stat.mode &= 0o755
      return true
    },
  })
  await pipeline(createReadStream(file), createGunzip(), new Limit(max, 'it unpacks to'), unpack)
  if (refused) throw new Error(refused)
}
