/** The folder of this package, from a file of its running code (in src/ or dist/). */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { findUp } from './fs.js'

export function packageRoot(from: string): string {
  const root = findUp(path.dirname(from), (dir) =>
    existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'tasks')) ? dir : undefined,
  )
  if (!root) throw new Error(`runts: cannot find its own package folder above ${from}`)
  return root
}
