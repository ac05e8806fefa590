/**
 * What an npm tarball holds, read with the `tar` package (npm's own): every
 * path, and its package.json. A publish refuses a tarball that carries
 * runts' own files or a secret at any depth (`config/.env`,
 * `dist/tasks.config.js`), an older tarball of the package, or that lacks
 * an entry point its package.json declares (`"files": ["lib"]` for `dist`).
 */
import path from 'node:path'

export interface TarballContents {
  /** Every file's path inside the package (`package/` taken off). */
  files: string[]
  /** Its package.json. */
  manifest: Record<string, unknown>
}

const MANIFEST_LIMIT = 1024 * 1024

/** Lists a gzipped npm tarball and reads its package.json. */
export async function readTarball(file: string): Promise<TarballContents> {
  const { list } = await import('tar')
  const files: string[] = []
  let manifest: string | undefined
  await list({
    file,
    strict: true,
    onReadEntry: (entry) => {
      // npm packs everything under one top folder (`package/`; some tools use another name).
      const inside = entry.path.replace(/^[^/]*\//, '')
      if (entry.type !== 'File' && entry.type !== 'OldFile') return
      files.push(inside)
      if (inside === 'package.json' && entry.size <= MANIFEST_LIMIT) {
        const chunks: Buffer[] = []
        entry.on('data', (chunk: Buffer) => chunks.push(chunk))
        entry.on('end', () => {
          manifest = Buffer.concat(chunks).toString('utf8')
        })
      }
    },
  })
  if (manifest === undefined) throw new Error(`${path.basename(file)} has no package.json: it is not an npm package tarball`)
  try {
    return { files: files.sort(), manifest: JSON.parse(manifest) as Record<string, unknown> }
  } catch (error) {
    throw new Error(`${path.basename(file)}: its package.json is not JSON (${(error as Error).message})`)
  }
}

/**
 * What runts brings into a project and what holds secrets: none of it belongs in a package, at any depth.
 * Every `.env*`: `.env`, `.env.production`, and direnv's `.envrc`, which exports tokens just the same.
 */
const RUNNER_FILE = /(?:^|\/)(?:\.env[^/]*|tasks\.config\.[^/]*|\.github\/workflows\/runts\.yml)$/

/** Files that are not the package's: runts' own, `.env*`, older tarballs of the package (pure). */
export function foreignFiles(files: readonly string[], name: string): string[] {
  const packed = `${name.replace(/^@/, '').replace('/', '-')}-`
  return files.filter((file) => RUNNER_FILE.test(file) || (path.posix.basename(file).startsWith(packed) && file.endsWith('.tgz')))
}

/** The entry points package.json declares (main, exports, types, bin) that the tarball lacks, each as `field: path` (pure). */
export function missingEntryPoints(files: readonly string[], manifest: Record<string, unknown>): string[] {
  const have = new Set(files)
  const missing: string[] = []
  const clean = (p: string) => path.posix.normalize(p.replace(/^\.\//, ''))
  if (typeof manifest.main === 'string' && manifest.main.trim() !== '') {
    // require() tries the extensions and the folder's index.
    const main = clean(manifest.main).replace(/\/$/, '')
    // `.` (or `./`) is the package's own folder: its index.js.
    const folder = main === '.' ? '' : `${main}/`
    const tries = [main, `${main}.js`, `${main}.json`, `${main}.node`, `${folder}index.js`, `${folder}index.json`, `${folder}index.node`]
    if (!tries.some((t) => have.has(t))) missing.push(`main: ${manifest.main}`)
  }
  for (const field of ['types', 'typings'] as const) {
    const value = manifest[field]
    if (typeof value === 'string' && !have.has(clean(value))) missing.push(`${field}: ${value}`)
  }
  const bin = manifest.bin
  const bins = typeof bin === 'string' ? { '': bin } : bin && typeof bin === 'object' ? (bin as Record<string, unknown>) : {}
  for (const [command, target] of Object.entries(bins)) {
    if (typeof target === 'string' && !have.has(clean(target))) missing.push(`bin${command ? ` ${command}` : ''}: ${target}`)
  }
  for (const [subpath, target] of exportTargets(manifest.exports, '.')) {
    if (target.includes('*')) {
      const [head, tail] = clean(target).split('*', 2) as [string, string]
      if (![...have].some((f) => f.startsWith(head) && f.endsWith(tail ?? ''))) missing.push(`exports ${subpath}: ${target}`)
    } else if (!target.endsWith('/') && !have.has(clean(target))) missing.push(`exports ${subpath}: ${target}`)
  }
  return [...new Set(missing)]
}

/** Every file target of an `exports` field, with the subpath it serves (conditions walked, arrays as fallbacks). */
function exportTargets(value: unknown, subpath: string): [string, string][] {
  if (typeof value === 'string') return value.startsWith('./') ? [[subpath, value]] : []
  if (Array.isArray(value)) return value.flatMap((v) => exportTargets(v, subpath))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => exportTargets(v, key.startsWith('.') ? key : subpath))
}

/** Whether the tarball holds only what npm always adds (package.json, README, LICENSE, CHANGELOG). */
export function onlyMetadata(files: readonly string[]): boolean {
  return files.every((f) => f === 'package.json' || /^(?:readme|license|licence|changelog|notice)(?:\.[^/]*)?$/i.test(f))
}
