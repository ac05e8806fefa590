/**
 * The file watcher under `run --watch`: chokidar (pure JavaScript, two small packages; it reports the
 * files inside a folder moved into the project, which @parcel/watcher reports as the folder alone),
 * loaded only in watch mode. It reports changes that match the plan's inputs (globs.ts), one call per
 * burst: `onChange` runs once no change has come for `debounceMs`.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { changeMatcher, skipFolder, type WatchTarget } from './globs.js'

export interface WatchOptions {
  /** The project root: globs are relative to it. */
  root: string
  target: WatchTarget
  /** Quiet time that ends a burst of changes. */
  debounceMs?: number
  /** The changed paths of one burst, relative to the root with `/`, sorted. */
  onChange(paths: string[]): void
  /** A watcher error (e.g. ENOSPC: the system's limit of inotify watches). */
  onError?(error: Error): void
}

export interface Watcher {
  close(): Promise<void>
}

export const DEFAULT_DEBOUNCE_MS = 200

/** Starts watching; resolves once the initial scan is done, so that no later change is missed. */
export async function watchFiles(options: WatchOptions): Promise<Watcher> {
  const { root, target } = options
  const { watch } = await import('chokidar')
  const matches = changeMatcher(target)
  const skip = skipFolder(target)
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/')
  const debounced = debounce(options.debounceMs ?? DEFAULT_DEBOUNCE_MS, (file) => existsSync(path.join(root, file)), options.onChange)
  // The root, not the inputs' own folders: a folder removed and made again (a checkout, a clean) or made
  // after the start is seen from its parent. Folders no change in could count are not descended into.
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (file, stats) => {
      const rel = relative(file)
      return rel !== '' && !rel.startsWith('..') && (stats === undefined || stats.isDirectory()) && skip(rel)
    },
  })
  watcher.on('all', (event, file) => {
    // Folders count through the files in them: an empty one made or removed changes no input.
    if (event === 'addDir' || event === 'unlinkDir') return
    const rel = relative(file)
    if (matches(rel)) debounced.add(rel, event === 'add')
  })
  watcher.on('error', (error) => options.onError?.(error as Error))
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    close: async () => {
      debounced.cancel()
      await watcher.close()
    },
  }
}

/**
 * Collects paths and hands them over once none has come for `ms`. A file that came and went within
 * the burst is no change: tools write a temporary file or folder and move it into place (pytest makes
 * `pytest-cache-files-*` and renames it to `.pytest_cache`; editors write swap files), and the watcher
 * may see the file only after it is gone. A burst of such files alone reports nothing.
 */
export function debounce(ms: number, exists: (file: string) => boolean, flush: (paths: string[]) => void) {
  /** Each path of the burst, and whether its first event was its creation. */
  let pending = new Map<string, boolean>()
  let timer: NodeJS.Timeout | undefined
  return {
    add(file: string, created: boolean) {
      if (!pending.has(file)) pending.set(file, created)
      clearTimeout(timer)
      timer = setTimeout(() => {
        const paths = [...pending].filter(([file, created]) => !created || exists(file)).map(([file]) => file)
        pending = new Map()
        if (paths.length > 0) flush(paths.sort())
      }, ms)
    },
    cancel() {
      clearTimeout(timer)
      pending = new Map()
    },
  }
}
