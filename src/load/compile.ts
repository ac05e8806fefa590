/**
 * Compiling a TypeScript tasks file with esbuild, cached on disk.
 *
 * The tasks file and its local imports are bundled into one ES module (npm
 * packages stay imports, so `runts` is the project's own copy). The result is
 * cached under `node_modules/.cache/runts`, keyed by the content of every
 * file that went into it: a second run imports it without starting esbuild,
 * and a change to any imported file is picked up.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Message, Plugin } from 'esbuild'
import { RuntsError } from '../errors.js'
import { findUpPath, writeAtomic } from '../util/fs.js'
import { sha256 } from '../util/hash.js'
import { type CacheEntry, describeInputs, writeManifest } from './cache.js'

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

/** Bundle the tasks file and its local imports into one module in the cache. */
export async function compile(file: string, entry: CacheEntry, options: CompileOptions): Promise<Compiled> {
  const { dir, key } = entry
  // No installed runts around the tasks file (runts' own repository, a global install): use this copy.
  const aliasSelf = !findUpPath(path.dirname(file), path.join('node_modules', 'runts'))
  const started = performance.now()
  const esbuild = await import('esbuild')
  const workDir = path.dirname(file)
  let result: import('esbuild').BuildResult<{ write: false; metafile: true }>
  try {
    result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: workDir,
      outfile: path.join(workDir, 'tasks.config.mjs'),
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'linked',
      // Less for Node to read on every run; names are kept, and the source map points errors home.
      minifyWhitespace: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [importMetaPaths(), ...(aliasSelf ? [aliasRunts(options.selfEntry())] : [])],
    })
  } catch (error) {
    throw compileError(file, workDir, error)
  }

  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text
  const output = `${key}-${sha256(js).slice(0, 12)}.mjs`
  // The map goes beside the module; the module names it, for debuggers and `node --enable-source-maps`.
  const code = js.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${output}.map\n`)
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes(':') || path.isAbsolute(input))
    .map((input) => path.resolve(workDir, input))
  mkdirSync(dir, { recursive: true })
  if (map) writeAtomic(path.join(dir, `${output}.map`), absoluteSources(map, workDir))
  writeAtomic(path.join(dir, output), code)
  writeManifest(entry, output, describeInputs(inputs))
  removeStale(dir, key, output)
  options.debug(`compiled ${file} (${inputs.length} files) in ${Math.round(performance.now() - started)} ms`)
  return { url: pathToFileURL(path.join(dir, output)).href, inputs }
}

function removeStale(dir: string, key: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${key}-`) && name !== keep && name !== `${keep}.map`) rmSync(path.join(dir, name), { force: true })
  }
}

/** Source paths made absolute, so that errors name the real files wherever the cache lives. */
function absoluteSources(text: string, workDir: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourcesContent?: unknown }
  map.sources = map.sources.map((source) => path.resolve(workDir, source))
  delete map.sourcesContent
  return JSON.stringify(map)
}

/** Each bundled file keeps its own `import.meta.url`, `dirname` and `filename`. */
function importMetaPaths(): Plugin {
  return {
    name: 'runts-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined
        const source = readFileSync(args.path, 'utf8')
        if (!source.includes('import.meta')) return undefined
        const values: Record<string, string> = {
          url: pathToFileURL(args.path).href,
          dirname: path.dirname(args.path),
          filename: args.path,
        }
        const contents = source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) => JSON.stringify(values[key]))
        const ext = path.extname(args.path)
        const loader = ext.endsWith('tsx') ? 'tsx' : ext.endsWith('ts') ? 'ts' : ext.endsWith('jsx') ? 'jsx' : 'js'
        return { contents, loader }
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

function compileError(file: string, workDir: string, error: unknown): RuntsError {
  const messages = (error as { errors?: Message[] }).errors
  const first = messages?.[0]
  if (!first) {
    return new RuntsError('compile', `could not compile ${file}: ${(error as Error).message}`, { cause: error })
  }
  const loc = first.location
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more error${messages.length > 2 ? 's' : ''})` : ''
  return new RuntsError('compile', `${first.text}${more}`, {
    location: loc ? { file: path.resolve(workDir, loc.file), line: loc.line, column: loc.column + 1, lineText: loc.lineText } : undefined,
    hint: loc ? undefined : `in ${file}`,
  })
}
