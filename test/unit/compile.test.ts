/** The compiled-tasks cache records exactly what esbuild compiled, even when the file changes meanwhile. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'

const edit = vi.hoisted(() => ({ file: '', next: '' }))

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const readFileSync = ((file: string, ...rest: unknown[]) => {
    const text = (fs.readFileSync as (...a: unknown[]) => unknown)(file, ...rest)
    // A person saves the file right after esbuild read it.
    if (file === edit.file && edit.next) {
      fs.writeFileSync(file, edit.next)
      edit.next = ''
    }
    return text
  }) as typeof fs.readFileSync
  return { ...fs, default: { ...fs, readFileSync }, readFileSync }
})

const { cachedBuild, cacheEntry } = await import('../../src/load/cache.js')
const { compile } = await import('../../src/load/compile.js')

describe('compiling the tasks file', () => {
  it('does not take an edit made while it compiled for what it compiled', async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-compile-')))
    mkdirSync(path.join(dir, 'node_modules'))
    const file = path.join(dir, 'tasks.config.ts')
    writeFileSync(file, "export const word: string = 'before'\n")
    edit.file = file
    edit.next = "export const word: string = 'after'\n"
    const entry = cacheEntry(file)
    const compiled = await compile(file, entry, { selfEntry: () => '', debug: () => {} })
    const module = (await import(compiled.url)) as { word: string }
    expect(module.word).toBe('before')
    // The file now says 'after': the build of 'before' must not be served for it.
    expect(cachedBuild(entry)).toBeUndefined()
  })
})
