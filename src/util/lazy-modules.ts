/**
 * Node modules that only some runs need, required on first use instead of imported: child_process alone
 * brings net, dgram and the streams, about 3 ms of every start, for a run of JavaScript-only tasks or a
 * `run --list` that spawns nothing.
 */
import { createRequire } from 'node:module'

type ChildProcess = typeof import('node:child_process')
let childProcessModule: ChildProcess | undefined

export function childProcess(): ChildProcess {
  childProcessModule ??= createRequire(import.meta.url)('node:child_process') as ChildProcess
  return childProcessModule
}
