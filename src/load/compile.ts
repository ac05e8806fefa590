/**
 * Compiling a TypeScript tasks file with esbuild, cached on disk.
 *
 * The tasks file and its local imports are bundled into one ES module (npm
 * packages stay imports, so `runts` is the project's own copy). The result is
 * cached, keyed by the content of every file that went into it, as esbuild
 * read it: a second run imports it without starting esbuild, and a change to
 * any of those files (even one made while esbuild ran) is picked up.
 * Concurrent runs never touch each other's files.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createRequire, isBuiltin } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Message, Plugin } from 'esbuild'
import { RuntsError } from '../errors.js'
import { findUpPath, writeAtomic } from '../util/fs.js'
import { sha256 } from '../util/hash.js'
import { type CacheEntry, describeInputs, type Input, writeManifest } from './cache.js'

export interface CompileOptions {
  /** The runts package entry, used for `import 'runts'` when no installed runts is found (looked up only then). */
  selfEntry: () => string
  debug: (message: string) => void
}

export interface Compiled {
  /** What to import. */
  url: string
  /** Every local source file it was made from. */
  inputs: string[]
}

/** Older builds of the same tasks file are removed once they are this old (another run may still be importing one). */
const STALE_MS = 60_000

/** Whether esbuild can be loaded: it is a dependency of the npm package, and not in the wheel (Node 24 strips types there). */
export function esbuildInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('esbuild')
    return true
  } catch {
    return false
  }
}

/** Bundle the tasks file and its local imports into one module in the cache. */
export async function compile(file: string, entry: CacheEntry, options: CompileOptions): Promise<Compiled> {
  const { dir, key } = entry
  // No installed runts around the tasks file (runts' own repository, a global install): use this copy.
  const aliasSelf = !findUpPath(path.dirname(file), path.join('node_modules', 'runts'))
  const started = performance.now()
  const esbuild = await import('esbuild')
  const workDir = path.dirname(file)
  const read = new Map<string, Input>()
  let result: import('esbuild').BuildResult<{ write: false; metafile: true }>
  try {
    result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: workDir,
      outfile: path.join(workDir, 'tasks.config.mjs'),
      bundle: true,
      // Package imports stay imports (resolved here instead when the build lives outside the project).
      packages: entry.outside ? undefined : 'external',
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'linked',
      // Less for Node to read on every run; names are kept, and the source map points errors home.
      minifyWhitespace: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [readSources(read), ...(aliasSelf ? [aliasRunts(options.selfEntry())] : []), ...(entry.outside ? [resolvedPackages()] : [])],
    })
  } catch (error) {
    throw compileError(file, workDir, error)
  }

  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text
  const output = `${key}-${sha256(js).slice(0, 12)}.mjs`
  // The map goes beside the module; the module names it, for debuggers and `node --enable-source-maps`.
  const code = js.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${output}.map\n`)
  const files = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes(':') || path.isAbsolute(input))
    .map((input) => path.resolve(workDir, input))
  // Files esbuild read through our plugin are described as they were read; any other (JSON, text) now.
  const inputs = [...files.filter((f) => read.has(f)).map((f) => read.get(f)!), ...describeInputs(files.filter((f) => !read.has(f)))]
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (map) writeAtomic(path.join(dir, `${output}.map`), absoluteSources(map, workDir))
  writeAtomic(path.join(dir, output), code)
  writeManifest(entry, output, inputs)
  removeStale(dir, key, output)
  options.debug(`compiled ${file} (${files.length} files) in ${Math.round(performance.now() - started)} ms`)
  return { url: pathToFileURL(path.join(dir, output)).href, inputs: files }
}

/** Earlier builds of this tasks file, once no run can still be importing them; never another run's files in flight. */
function removeStale(dir: string, key: string, keep: string): void {
  const now = Date.now()
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${key}-`) || name.endsWith('.tmp') || name === keep || name === `${keep}.map`) continue
    try {
      if (now - statSync(path.join(dir, name)).mtimeMs > STALE_MS) rmSync(path.join(dir, name), { force: true })
    } catch {
      // removed meanwhile by another run
    }
  }
}

/** Source paths made absolute, so that errors name the real files wherever the cache lives. */
function absoluteSources(text: string, workDir: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourcesContent?: unknown }
  map.sources = map.sources.map((source) => path.resolve(workDir, source))
  delete map.sourcesContent
  return JSON.stringify(map)
}

const LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
}

/**
 * Local sources are read here, not by esbuild: the cache records the hash of exactly what was
 * compiled (stat first, so that an edit during the build is seen as a change next time), and each
 * file keeps its own `import.meta.url`, `dirname` and `filename`.
 */
function readSources(read: Map<string, Input>): Plugin {
  return {
    name: 'runts-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined
        const { size, mtimeMs } = statSync(args.path)
        const bytes = readFileSync(args.path)
        read.set(args.path, { file: args.path, size, mtimeMs, hash: sha256(bytes) })
        let contents = bytes.toString('utf8')
        if (contents.includes('import.meta')) {
          const values: Record<string, string> = {
            url: pathToFileURL(args.path).href,
            dirname: path.dirname(args.path),
            filename: args.path,
          }
          contents = contents.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) => JSON.stringify(values[key]))
        }
        return { contents, loader: LOADERS[path.extname(args.path)] ?? 'js' }
      })
    },
  }
}

/** With no node_modules around the tasks file, `import 'runts'` means this copy. */
function aliasRunts(selfEntry: string): Plugin {
  return {
    name: 'runts-self',
    setup(build) {
      build.onResolve({ filter: /^runts$/ }, () => ({ path: selfEntry, external: true }))
    },
  }
}

/**
 * For a build cached outside the project: package imports resolved now, from the tasks file's
 * folder, to file URLs, so that they work from wherever the compiled module lives.
 */
function resolvedPackages(): Plugin {
  return {
    name: 'runts-resolved-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (isBuiltin(args.path) || args.pluginData === 'resolving' || path.isAbsolute(args.path)) return undefined
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' })
        // Not installed: left as it is, so that importing it fails with Node's own message, as it would in place.
        if (found.errors.length > 0 || !path.isAbsolute(found.path)) return { path: args.path, external: true }
        return { path: pathToFileURL(found.path).href, external: true }
      })
    },
  }
}

function compileError(file: string, workDir: string, error: unknown): RuntsError {
  const messages = (error as { errors?: Message[] }).errors
  const first = messages?.[0]
  if (!first) return new RuntsError('compile', `could not compile ${file}: ${(error as Error).message}`, { cause: error })
  const loc = first.location
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more error${messages.length > 2 ? 's' : ''})` : ''
  return new RuntsError('compile', `${first.text}${more}`, {
    location: loc ? { file: path.resolve(workDir, loc.file), line: loc.line, column: loc.column + 1, lineText: loc.lineText } : undefined,
    hint: loc ? undefined : `in ${file}`,
  })
}
