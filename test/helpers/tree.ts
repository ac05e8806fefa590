/** A temp folder with files in it, for tests of code that reads a project. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export class Tree {
  readonly dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-cache-')))

  constructor(files: Record<string, string> = {}) {
    this.write(files)
  }

  write(files: Record<string, string>): this {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(this.dir, name)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, text)
    }
    return this
  }

  /** Sets files' modification times `seconds` ago, so that the cache trusts them without reading. */
  age(seconds: number, ...names: string[]): this {
    const when = new Date(Date.now() - seconds * 1000)
    for (const name of names) utimesSync(path.join(this.dir, name), when, when)
    return this
  }

  path(name: string): string {
    return path.join(this.dir, name)
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
