/**
 * `$`: zx's `$`, scoped to the running task (project root as cwd, the merged
 * environment, output through the reporter, commands in their own process
 * group). zx itself is loaded on the first command, not before, so listing
 * tasks never pays for it.
 */
import { createRequire } from 'node:module'
import type { Shell } from 'zx/core'
import { currentScope } from './context.js'

type ZxCore = typeof import('zx/core')
let zx: ZxCore | undefined

export function loadZx(): ZxCore {
  zx ??= createRequire(import.meta.url)('zx/core') as ZxCore
  return zx
}

type Callable = (this: unknown, ...args: unknown[]) => unknown

/** zx's `$`, run in the project root, streaming output, throwing on a non-zero exit. */
export const $: Shell = function (this: unknown, pieces: unknown, ...args: unknown[]) {
  return closingStdin(loadZx().$(currentScope().shell) as Callable).call(this, pieces, ...args)
} as unknown as Shell

/** `$` and every `$({ ...options })` made from it close unused stdin. */
function closingStdin(shell: Callable): Callable {
  return function (this: unknown, pieces: unknown, ...args: unknown[]) {
    const result = shell.call(this, pieces, ...args)
    if (typeof result === 'function') return closingStdin(result as Callable)
    if (Array.isArray(pieces)) closeStdinWhenUnused(result)
    return result
  }
}

/**
 * A command's stdin is a pipe (so that `.pipe()` into it and `input` work).
 * Nobody types into it, so a command that reads stdin would wait forever:
 * unless something is piped or written into it in the same tick, it is
 * closed, and the command reads end-of-file as it would from /dev/null.
 * A task that needs the terminal says `interactive: true`.
 */
function closeStdinWhenUnused(process: unknown): void {
  const stdin = (process as { _stdin?: NodeJS.ReadWriteStream } | undefined)?._stdin
  if (!stdin || typeof stdin.end !== 'function') return
  let used = false
  stdin.once('pipe', () => {
    used = true
  })
  for (const method of ['write', 'end'] as const) {
    const original = stdin[method].bind(stdin) as (...a: unknown[]) => unknown
    ;(stdin as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      used = true
      return original(...a)
    }
  }
  setImmediate(() => {
    if (!used) stdin.end()
  })
}

/**
 * The environment after `.env` loading. Inside a task it is that task's own
 * copy: setting a variable changes what the task's later commands see, and
 * nothing else.
 */
export const env: NodeJS.ProcessEnv = new Proxy({} as NodeJS.ProcessEnv, {
  get: (_, key) => (typeof key === 'string' ? target()[key] : undefined),
  set: (_, key, value) => {
    if (typeof key === 'string') target()[key] = String(value)
    return true
  },
  deleteProperty: (_, key) => (typeof key === 'string' ? delete target()[key] : true),
  has: (_, key) => typeof key === 'string' && key in target(),
  ownKeys: () => Reflect.ownKeys(target()),
  getOwnPropertyDescriptor: (_, key) => {
    const value = typeof key === 'string' ? target()[key] : undefined
    return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: true }
  },
})

function target(): NodeJS.ProcessEnv {
  return currentScope().shell.env ?? process.env
}
