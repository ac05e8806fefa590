/** How generated files (a Makefile, a CI workflow) call this project's own `run`. */
import { existsSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { findUp } from '../util/fs.js'

/**
 * `node_modules/.bin/run` of the project when the running CLI (`entry`) is the one installed there,
 * else `node <path of the running CLI>`. Never `npx run`, which can fetch an unrelated npm package.
 */
export function runCommand(root: string, entry: string | undefined): string {
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
