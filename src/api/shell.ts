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

/** zx's `$`, run in the project root, streaming output, throwing on a non-zero exit. */
export const $: Shell = function (this: unknown, pieces: unknown, ...args: unknown[]) {
  const scoped = loadZx().$(currentScope().shell) as (...a: unknown[]) => unknown
  return scoped.call(this, pieces, ...args)
} as unknown as Shell

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
