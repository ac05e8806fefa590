/**
 * `.env` loading with dotenv: `.env`, then `.env.local`, then each
 * `--env-file` in order, later files winning; a variable already set in the
 * shell is never overridden by any file.
 */

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'dotenv'
import { RuntsError } from '../errors.js'
import { lintEnvText } from './lint.js'

export type EnvSource = 'shell' | '.env' | '.env.local' | `--env-file ${string}`

export interface EnvFile {
  /** Where to read it. */
  path: string
  /** How `run --env` and errors name it. */
  source: EnvSource
  /** An optional file (`.env`, `.env.local`) may be absent; a named one may not. */
  optional: boolean
}

export interface LoadedEnv {
  /** The merged environment: shell, then files under the shell's values. */
  values: Record<string, string>
  /** Where each variable's value came from. */
  sources: Map<string, EnvSource>
  /** Every value a file set, including those the shell or a later file overrode (still secrets). */
  fileValues: Array<[string, string]>
  /** Lines dotenv drops or cuts short, as `file:line: message`. */
  warnings: string[]
}

export type ReadFile = (file: string) => string | undefined

export function envFiles(root: string, cwd: string, extra: readonly string[]): EnvFile[] {
  return [
    { path: path.join(root, '.env'), source: '.env', optional: true },
    { path: path.join(root, '.env.local'), source: '.env.local', optional: true },
    ...extra.map((file) => ({ path: path.resolve(cwd, file), source: `--env-file ${file}` as const, optional: false })),
  ]
}

/** A file's text, or undefined when there is none; one that cannot be read (a folder, no permission) is an error naming it. */
export function readEnvFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message
    throw new RuntsError('env-file', `cannot read the env file ${file}: ${why}`, { hint: 'make it a readable file, or remove it' })
  }
}

export function loadEnv(
  shell: Readonly<Record<string, string | undefined>>,
  files: readonly EnvFile[],
  read: ReadFile = readEnvFile,
): LoadedEnv {
  const values: Record<string, string> = {}
  const sources = new Map<string, EnvSource>()
  const fileValues: Array<[string, string]> = []
  const warnings: string[] = []
  for (const [name, value] of Object.entries(shell)) {
    if (value === undefined) continue
    values[name] = value
    sources.set(name, 'shell')
  }
  for (const file of files) {
    const text = read(file.path)
    if (text === undefined) {
      if (file.optional) continue
      throw new RuntsError('env-file', `env file not found: ${file.path}`, {
        hint: 'check the --env-file path (relative to the folder you ran `run` from)',
      })
    }
    const label = file.source.startsWith('--env-file ') ? file.source.slice('--env-file '.length) : file.source
    for (const w of lintEnvText(text)) warnings.push(`${label}:${w.line}: ${w.message}`)
    for (const [name, value] of Object.entries(parse(text))) {
      fileValues.push([name, value])
      if (shell[name] !== undefined) continue
      values[name] = value
      sources.set(name, file.source)
    }
  }
  return { values, sources, fileValues, warnings }
}
