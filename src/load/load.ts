/**
 * Loading the tasks file: compile it when it is TypeScript (natively where
 * Node strips types, else with esbuild, cached), import it, and turn a throw
 * at load time into an error that names the file and line.
 */
import { pathToFileURL } from 'node:url'
import { RuntsError } from '../errors.js'
import { cachedBuild, cacheEntry } from './cache.js'
import type { CompileOptions } from './compile.js'
import { locateIn } from './locate.js'

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

const NATIVE_FALLBACK = new Set(['ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNKNOWN_FILE_EXTENSION', 'ERR_MODULE_NOT_FOUND'])

export interface LoadOptions extends CompileOptions {
  /** `import()` as the entry module does it (the CLI's own code may be loaded outside the module system). */
  importModule: (url: string) => Promise<unknown>
}

export async function loadTasksFile(file: string, options: LoadOptions): Promise<LoadedFile> {
  const importModule = (file: string, url: string, inputs: string[]) => importTasks(options.importModule, file, url, inputs)
  const isTypeScript = /\.[cm]?ts$/.test(file)
  if (!isTypeScript) return importModule(file, pathToFileURL(file).href, [file])

  if (nativeTypeStripping()) {
    try {
      return await importModule(file, pathToFileURL(file).href, [file])
    } catch (error) {
      // Syntax Node cannot strip (enums, extensionless imports): fall back to esbuild.
      const code = (error as { cause?: { code?: string } }).cause?.code
      if (!code || !NATIVE_FALLBACK.has(code)) throw error
      options.debug(`native type stripping failed (${code}); compiling with esbuild`)
    }
  }
  const entry = cacheEntry(file)
  const cached = cachedBuild(entry)
  if (cached) {
    options.debug(`using the cached build of ${file}`)
    return importModule(file, cached.url, cached.inputs)
  }
  // esbuild is loaded only when the tasks file (or a file it imports) changed.
  const { compile } = await import('./compile.js')
  const compiled = await compile(file, entry, options)
  return importModule(file, compiled.url, compiled.inputs)
}

function nativeTypeStripping(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript)
}

async function importTasks(load: LoadOptions['importModule'], file: string, url: string, inputs: string[]): Promise<LoadedFile> {
  try {
    // The module namespace itself: copying 10,000 exports costs time on every run.
    const exports = (await load(url)) as Record<string, unknown>
    return { file, exports, inputs }
  } catch (error) {
    const missing = missingPackage(error)
    if (missing) {
      throw new RuntsError('load', `the tasks file imports '${missing}', which is not installed`, {
        location: { file, line: 0, column: 0 },
        hint: `install it in the project (npm i -D ${missing}), or fix the import`,
        cause: error,
      })
    }
    const location = locateIn(error, inputs)
    const message = error instanceof Error ? error.message : String(error)
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
