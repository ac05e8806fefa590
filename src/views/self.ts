/** How generated files (a Makefile, a CI workflow) call this project's own `run`. */
import { existsSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { findUp } from '../util/fs.js'

/**
 * `node_modules/.bin/run` of the project when the running CLI (`entry`) is the one installed there;
 * for runts from PyPI, the command that started it (`launcher`: RUNTS_COMMAND, set by its `run`
 * script or `python -m runts`), e.g. `.venv/bin/run`; else `node <path of the running CLI>`.
 * Never `npx run`, which can fetch an unrelated npm package.
 */
export function runCommand(root: string, entry: string | undefined, launcher?: { command: string; cwd: string }): string {
  if (launcher && entry && isWheel(entry)) return fromLauncher(root, launcher)
  const bin = findUp(root, (dir) => {
    const candidate = path.join(dir, 'node_modules', '.bin', 'run')
    return existsSync(candidate) && entry && sameFile(candidate, entry) ? candidate : undefined
  })
  // Relative, even up to a workspace's node_modules (../../node_modules/.bin/run): a generated file is
  // committed, and an absolute path would hold only on this machine.
  if (bin) return path.relative(root, bin).split(path.sep).join('/')
  return entry ? `node ${relative(root, entry)}` : 'node_modules/.bin/run'
}

/** Inside the project: relative. Elsewhere (a global install): as it is. */
function relative(root: string, file: string): string {
  const rel = path.relative(root, file)
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/')
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return false
  }
}

/** The CLI as the wheel lays it out (site-packages/runts/node/dist/cli.js): only then is RUNTS_COMMAND its own. */
function isWheel(entry: string): boolean {
  return /[\\/]runts[\\/]node[\\/]dist[\\/]cli\.js$/.test(entry)
}

/** The launcher's path as the project reaches it: relative inside it (a project's .venv), else as it is. */
function fromLauncher(root: string, { command, cwd }: { command: string; cwd: string }): string {
  const [program = '', ...rest] = command.split(' -m ')
  if (!/[\\/]/.test(program)) return command
  const absolute = path.resolve(cwd, program)
  return [relative(root, absolute), ...rest].join(' -m ')
}
