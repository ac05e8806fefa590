/**
 * Shared-cache artifacts: an entry folder (its description, output log and
 * output files) as one gzipped tar, with the `tar` package (loaded on first
 * use: neither an up-to-date check nor a local restore needs it).
 */
import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'

type Tar = typeof import('tar')
let loaded: Promise<Tar> | undefined
const tar = (): Promise<Tar> => {
  loaded ??= import('tar')
  return loaded
}

/** These files and folders of `dir` as a gzipped tar, in memory: the body of a shared-cache artifact. */
export async function packFolder(dir: string, names: readonly string[]): Promise<Buffer> {
  const { create } = await tar()
  const chunks: Buffer[] = []
  const sink = new PassThrough()
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  await pipeline(create({ cwd: dir, gzip: true, portable: true, strict: true }, [...names]), sink)
  return Buffer.concat(chunks)
}

/**
 * Unpacks a gzipped tar into `dir`, keeping only plain files and folders that are, or are inside, one of
 * the named ones (no links, no devices: an artifact from elsewhere points nowhere); a damaged archive rejects.
 */
export async function unpackFolder(body: Uint8Array, dir: string, names: readonly string[]): Promise<void> {
  const { extract } = await tar()
  const inside = (entry: string) => names.some((name) => entry === name || entry.startsWith(`${name}/`))
  const source = new PassThrough()
  source.end(body)
  await pipeline(
    source,
    extract({
      cwd: dir,
      strict: true,
      filter: (entry, stat) => {
        const type = 'type' in stat ? stat.type : undefined
        return (type === 'File' || type === 'Directory') && inside(entry.replace(/\/+$/, ''))
      },
    }),
  )
}
