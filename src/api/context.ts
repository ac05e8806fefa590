/**
 * The per-task scope that `$` reads. It lives on `globalThis` under a
 * registered symbol so that every copy of runts in a process (the CLI's and
 * the one a tasks file imports) shares it.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Options } from 'zx/core'

export type ShellOptions = Partial<Options>

export interface Scope {
  /** zx options for every command this task runs. */
  shell: ShellOptions
  /** The running task, for output its own JavaScript prints. */
  task?: string
}

interface Shared {
  storage: AsyncLocalStorage<Scope>
  /** Used outside any task (while the tasks file loads). */
  fallback: Scope
}

const KEY = Symbol.for('runts.scope')

function shared(): Shared {
  const g = globalThis as { [KEY]?: Shared }
  g[KEY] ??= { storage: new AsyncLocalStorage<Scope>(), fallback: { shell: {} } }
  return g[KEY]
}

export function currentScope(): Scope {
  const s = shared()
  return s.storage.getStore() ?? s.fallback
}

export function runInScope<T>(scope: Scope, fn: () => T): T {
  return shared().storage.run(scope, fn)
}

export function setFallbackScope(scope: Scope): void {
  shared().fallback = scope
}

const SECRETS = Symbol.for('runts.secrets')

/**
 * Masks `value` from now on, wherever runts prints (a token a task obtained while it runs, such as one
 * minted for trusted publishing). Under GitHub Actions the runner's log masks it too. Shared across
 * copies of runts in the process, as the scope is.
 */
export function addSecret(value: string): void {
  ;(globalThis as { [SECRETS]?: (value: string) => void })[SECRETS]?.(value)
}

/** Where `addSecret` values go: the session's masker. */
export function onSecret(listener: (value: string) => void): void {
  ;(globalThis as { [SECRETS]?: (value: string) => void })[SECRETS] = listener
}
