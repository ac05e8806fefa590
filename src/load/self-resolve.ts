/**
 * A resolve hook for a tasks file that Node loads itself (type stripping), for two things esbuild's
 * build knows by itself: `import 'runts'` in a project with no node_modules/runts (runts installed with
 * pip, or globally) goes to this copy of runts; and the project's own files the tasks file imports are
 * recorded while it loads, so that an error thrown in one is located there and `--watch` reloads when
 * one changes. Synchronous hooks run in this thread (`module.registerHooks`, Node 22.15 and 23.5).
 */
import module from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { findUpPath } from '../util/fs.js'

type Resolved = { url: string; shortCircuit?: boolean }
type ResolveHook = (specifier: string, context: unknown, next: (specifier: string, context: unknown) => Resolved) => Resolved
type RegisterHooks = (hooks: { resolve: ResolveHook }) => unknown

interface Recording {
  /** The tasks file's folder: files under it (not in a package) are the project's. */
  root: string
  files: Set<string>
}

let installed = false
let recording: Recording | undefined

/** Register the hook once; false when this Node has no synchronous hooks (then esbuild aliases `runts`). */
export function installResolveHook(selfEntry: () => string): boolean {
  if (installed) return true
  const registerHooks = (module as unknown as { registerHooks?: RegisterHooks }).registerHooks
  if (typeof registerHooks !== 'function') return false
  let self: string | undefined
  registerHooks({
    resolve: (specifier, context, next) => {
      let resolved: Resolved
      // The project's own runts when it has one; asked of the file system first, because a failed
      // resolution costs milliseconds (Node decorates the error with hints, stat-ing every folder up).
      if (specifier === 'runts' && !hasRunts((context as { parentURL?: string }).parentURL)) {
        self ??= pathToFileURL(selfEntry()).href
        resolved = { url: self, shortCircuit: true }
      } else {
        resolved = next(specifier, context)
      }
      if (recording && resolved.url.startsWith('file:')) record(recording, resolved.url)
      return resolved
    },
  })
  installed = true
  return true
}

const runtsAbove = new Map<string, boolean>()

/** Whether a node_modules/runts is in the folder of `parentURL` or above it (remembered per folder). */
function hasRunts(parentURL: string | undefined): boolean {
  if (!parentURL?.startsWith('file:')) return true
  const dir = path.dirname(fileURLToPath(parentURL))
  let found = runtsAbove.get(dir)
  if (found === undefined) {
    found = findUpPath(dir, path.join('node_modules', 'runts')) !== undefined
    runtsAbove.set(dir, found)
  }
  return found
}

/** Run `load` recording the project's files it imports (besides `file` itself); resolves to both. */
export async function recordingImports<T>(file: string, load: () => Promise<T>): Promise<{ loaded: T; files: string[] }> {
  const current: Recording = { root: path.dirname(file), files: new Set([file]) }
  recording = current
  try {
    return { loaded: await load(), files: [...current.files] }
  } finally {
    recording = undefined
  }
}

/** The files recorded so far by the load under way (for locating an error it threw). */
export function recordedSoFar(file: string): string[] {
  return recording ? [...recording.files] : [file]
}

function record(into: Recording, url: string): void {
  const file = fileURLToPath(url)
  const relative = path.relative(into.root, file)
  if (relative.startsWith('..') || path.isAbsolute(relative)) return
  // Packages are not the project's: npm's, and runts itself in a venv inside the project.
  const parts = relative.split(path.sep)
  if (parts.includes('node_modules') || parts.includes('site-packages')) return
  into.files.add(file)
}
