/** How a generated Makefile calls this project's own `run`. */
import { existsSync, realpathSync } from 'node:fs'
import path from 'node:path'

/** `node_modules/.bin/run` of the project when it is installed there, else `node <path of this CLI>`. */
export function runCommand(root: string, cli = process.argv[1]): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', 'run')
    if (existsSync(bin) && cli && sameFile(bin, cli)) return relative(root, bin)
    if (path.dirname(dir) === dir) break
  }
  return cli ? `node ${relative(root, cli)}` : 'node_modules/.bin/run'
}

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
