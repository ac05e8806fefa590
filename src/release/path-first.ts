/**
 * A `$` whose commands find a folder's programs first: the python template
 * runs every command with the folder of `PYTHON` (a venv's `bin/`) first on
 * `PATH`, so that a pre-commit hook with `language: system` finds the venv's
 * ruff without an activated venv.
 */
import path from 'node:path'
import type { Shell } from 'zx/core'
import { env as taskEnv } from '../api/shell.js'

type Env = Record<string, string | undefined>
type Callable = (...args: unknown[]) => unknown

/** `env` with `folder` first on its PATH (once), or `env` itself when there is no folder. */
export function pathWithFirst(vars: Env, folder: string | undefined): Env {
  if (!folder) return vars
  const key = Object.keys(vars).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH'
  const rest = (vars[key] ?? '').split(path.delimiter).filter((p) => p !== '' && p !== folder)
  return { ...vars, [key]: [folder, ...rest].join(path.delimiter) }
}

/**
 * `shell` (runts' `$`), with `folder()` first on PATH for every command, however it is called:
 * `$\`…\``, `$({ quiet: true })\`…\``, `$({ env: { …env, X: '1' } })\`…\`` (that env gets the folder too).
 * `folder()` is asked at each command: it reads the task's variables.
 */
export function withPathFirst(shell: Shell, folder: () => string | undefined): Shell {
  const wrap = (inner: Callable, env?: Env): Shell =>
    new Proxy(inner, {
      apply(target, thisArg, args: unknown[]) {
        const [first, ...rest] = args
        if (Array.isArray(first) && 'raw' in first) {
          const vars = pathWithFirst(env ?? { ...taskEnv }, folder())
          return (target.call(thisArg, { env: vars }) as Callable)(first, ...rest)
        }
        const options = (first ?? {}) as { env?: Env }
        return wrap(target.call(thisArg, options) as Callable, options.env ?? env)
      },
    }) as unknown as Shell
  return wrap(shell as unknown as Callable)
}
