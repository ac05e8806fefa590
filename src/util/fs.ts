/** File-system helpers shared by loading, caching and scaffolding. */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Walk from `from` up to the file-system root; the first folder for which `test` gives a value wins. */
export function findUp<T>(from: string, test: (dir: string) => T | undefined): T | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const found = test(dir)
    if (found !== undefined) return found
    if (path.dirname(dir) === dir) return undefined
  }
}

/** The nearest `name` (a file or folder) in `from` or a parent folder. */
export function findUpPath(from: string, name: string): string | undefined {
  return findUp(from, (dir) => (existsSync(path.join(dir, name)) ? path.join(dir, name) : undefined))
}

let unique = 0

/** Write a file whole or not at all: readers never see half of it, concurrent writers never collide. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}-${unique++}.tmp`
  try {
    writeFileSync(tmp, data)
    renameSync(tmp, file)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}
