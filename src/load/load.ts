/**
 * Loading the tasks file: compile it when it is TypeScript (by Node's own type
 * stripping or by esbuild, cached: whichever is faster on this Node, see
 * typescript-path.ts), import it, and turn a throw at load time into an error
 * that names the file and line.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { RuntsError } from '../errors.js'
import { cachedBuild, cacheEntry } from './cache.js'
import type { CompileOptions } from './compile.js'
import { locateIn } from './locate.js'
import { installResolveHook, recordedSoFar, recordingImports } from './self-resolve.js'
import { strippingError } from './strip-error.js'
import { syntaxLocation } from './syntax-location.js'
import { runningNode, typeScriptPath } from './typescript-path.js'

export interface LoadedFile {
  file: string
  exports: Record<string, unknown>
  /** Local source files (the tasks file and what it imports), for locating errors. */
  inputs: string[]
}

/** The package named by a "Cannot find package 'x' imported from …" error. */
function missingPackage(error: unknown): string | undefined {
  if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') return undefined
  return /Cannot find package '([^']+)'/.exec(String((error as Error).message))?.[1]
}

/** Errors of Node's type stripping that esbuild compiles past (enums, extensionless imports), where it is installed. */
const NATIVE_FALLBACK = new Set(['ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNKNOWN_FILE_EXTENSION', 'ERR_MODULE_NOT_FOUND'])

export interface LoadOptions extends CompileOptions {
  /** `import()` as the entry module does it (the CLI's own code may be loaded outside the module system). */
  importModule: (url: string) => Promise<unknown>
  /** `RUNTS_TYPESCRIPT`: `native` or `esbuild` forced (benchmarks, tests); else chosen by Node version. */
  typescript?: string
}

export async function loadTasksFile(file: string, options: LoadOptions): Promise<LoadedFile> {
  const importModule = (file: string, url: string, inputs: () => string[]) => importTasks(options.importModule, file, url, inputs)
  const isTypeScript = /\.[cm]?ts$/.test(file)
  // `import 'runts'` with no runts in the project goes to this copy; the files the tasks file imports are recorded.
  const byNode = async (how: string) => {
    if (!installResolveHook(options.selfEntry)) options.debug('this Node has no resolve hooks: a missing runts falls back to esbuild')
    const { loaded, files } = await recordingImports(file, () => importModule(file, pathToFileURL(file).href, () => recordedSoFar(file)))
    options.debug(`imported by Node (${how}, ${files.length} files)`)
    return { ...loaded, inputs: files }
  }
  // JavaScript: Node imports it as it is (runts from PyPI included: the hook gives it this copy of runts).
  if (!isTypeScript) return byNode('JavaScript')

  const node = runningNode(file, options.typescript)
  if (typeScriptPath(node) === 'esbuild') {
    const built = await esbuildBuild(file, options)
    if (built) return importModule(file, built.url, () => built.inputs)
    // No esbuild here (runts from PyPI): Node strips the types itself.
    if (!node.strips) throw noCompiler(file)
    options.debug('esbuild is not installed; Node strips the types')
  }
  try {
    return await byNode('type stripping')
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error
    const code = (cause as { code?: string }).code
    const explained = () => strippingError(cause, file) ?? error
    // Syntax Node cannot strip (enums, extensionless imports): esbuild compiles it, where it is installed.
    if (!code || !NATIVE_FALLBACK.has(code)) throw explained()
    options.debug(`native type stripping failed (${code}); compiling with esbuild`)
    const built = await esbuildBuild(file, options)
    if (!built) throw explained()
    return importModule(file, built.url, () => built.inputs)
  }
}

/** esbuild's build of the tasks file, cached; undefined when esbuild is not installed. */
async function esbuildBuild(file: string, options: LoadOptions): Promise<{ url: string; inputs: string[] } | undefined> {
  const entry = cacheEntry(file)
  const cached = cachedBuild(entry)
  if (cached) {
    options.debug(`using the cached build of ${file}`)
    return cached
  }
  // esbuild is loaded only when the tasks file (or a file it imports) changed.
  const { compile, esbuildInstalled } = await import('./compile.js')
  if (!esbuildInstalled()) return undefined
  return compile(file, entry, options)
}

function noCompiler(file: string): RuntsError {
  return new RuntsError(
    'compile',
    `cannot compile ${path.basename(file)}: esbuild is not installed, and Node ${process.versions.node} cannot strip types`,
    {
      location: { file, line: 0, column: 0 },
      hint: 'install runts with its dependencies (npm i -D runts), or run it on Node 22.18 or newer',
    },
  )
}

async function importTasks(load: LoadOptions['importModule'], file: string, url: string, inputs: () => string[]): Promise<LoadedFile> {
  try {
    // The module namespace itself: copying 10,000 exports costs time on every run.
    const exports = (await load(url)) as Record<string, unknown>
    return { file, exports, inputs: inputs() }
  } catch (error) {
    const missing = missingPackage(error)
    if (missing) {
      throw new RuntsError('load', `the tasks file imports '${missing}', which is not installed`, {
        location: { file, line: 0, column: 0 },
        hint: `install it in the project (npm i -D ${missing}), or fix the import`,
        cause: error,
      })
    }
    const message = error instanceof Error ? error.message : String(error)
    // A syntax error of a JavaScript tasks file: Node's loader says what, not where (TypeScript is located by its compiler).
    const syntax = error instanceof SyntaxError && /\.[cm]?js$/.test(file) ? syntaxLocation(file) : undefined
    if (syntax) throw new RuntsError('compile', `the tasks file does not compile: ${message}`, { location: syntax, cause: error })
    const location = locateIn(error, inputs())
    // A .js tasks file in a CommonJS package ("type": "commonjs", as npm init writes) is read as CommonJS.
    const module = /Cannot use import statement outside a module|require is not defined in ES module/.test(message)
    throw new RuntsError('load', `the tasks file threw while loading: ${message}`, {
      location: location ?? { file, line: 0, column: 0 },
      hint: module
        ? `the tasks file is an ES module (it imports runts): name it tasks.config.mjs or tasks.config.ts, or set "type": "module" in package.json`
        : undefined,
      cause: error,
    })
  }
}
