import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { packFolder, unpackFolder } from '../../src/cache/archive.js'
import { restoreOutputs, storeOutputs } from '../../src/cache/copies.js'
import { hashOf } from '../../src/cache/hash.js'
import { Tree } from '../helpers/tree.js'

const trees: Tree[] = []
afterEach(() => {
  for (const t of trees.splice(0)) t.remove()
})
function tree(files: Record<string, string> = {}): Tree {
  const t = new Tree(files)
  trees.push(t)
  return t
}

describe('output copies', () => {
  it('stores files with their hashes, sizes, times and modes, and restores them with their times', () => {
    const project = tree({ 'dist/app.whl': 'wheel', 'dist/bin/tool': '#!/bin/sh\n' })
    chmodSync(project.path('dist/bin/tool'), 0o755)
    const when = new Date('2024-05-01T10:00:00Z')
    utimesSync(project.path('dist/app.whl'), when, when)
    const store = tree()
    const stored = storeOutputs(project.dir, ['dist/app.whl', 'dist/bin/tool'], store.path('outputs'))
    expect(stored.files[0]).toEqual({ file: 'dist/app.whl', size: 5, hash: hashOf('wheel'), mtimeMs: when.getTime() })
    expect(stored.stats[0]).toEqual(['dist/app.whl', 5, when.getTime()])
    const fresh = tree()
    restoreOutputs(store.path('outputs'), fresh.dir, stored.files)
    expect(readFileSync(fresh.path('dist/app.whl'), 'utf8')).toBe('wheel')
    expect(statSync(fresh.path('dist/app.whl')).mtimeMs).toBe(when.getTime())
    expect(statSync(fresh.path('dist/bin/tool')).mode & 0o777).toBe(0o755)
  })

  it('replaces a link in the way instead of writing through it, and never writes through a linked folder', () => {
    const outside = tree({ 'victim.txt': 'keep me', 'dir/x': '' })
    const store = tree({ 'outputs/dist/app.whl': 'wheel', 'outputs/out/app.whl': 'wheel' })
    const project = tree()
    mkdirSync(project.path('dist'))
    symlinkSync(outside.path('victim.txt'), project.path('dist/app.whl'))
    restoreOutputs(store.path('outputs'), project.dir, [{ file: 'dist/app.whl', size: 5, hash: '' }])
    expect(lstatSync(project.path('dist/app.whl')).isSymbolicLink()).toBe(false)
    expect(readFileSync(outside.path('victim.txt'), 'utf8')).toBe('keep me')
    symlinkSync(outside.path('dir'), project.path('out'))
    expect(() => restoreOutputs(store.path('outputs'), project.dir, [{ file: 'out/app.whl', size: 5, hash: '' }])).toThrow(
      /out leads out of the project/,
    )
  })

  it('refuses a stored copy whose size is not the recorded one', () => {
    const store = tree({ 'outputs/dist/app.whl': 'whe' })
    const project = tree()
    expect(() => restoreOutputs(store.path('outputs'), project.dir, [{ file: 'dist/app.whl', size: 5, hash: '' }])).toThrow(
      /copy of dist\/app.whl is damaged/,
    )
  })
})

describe('shared-cache artifacts', () => {
  it('round-trip an entry folder, and unpack nothing but the named files and folders, and no links', async () => {
    const entry = tree({ 'meta.json': '{}', 'output.log': '', 'outputs/dist/a': 'a', 'other.txt': 'x' })
    symlinkSync('/etc/passwd', entry.path('outputs/dist/link'))
    const body = await packFolder(entry.dir, ['meta.json', 'output.log', 'outputs', 'other.txt'])
    const into = tree()
    await unpackFolder(body, into.dir, ['meta.json', 'output.log', 'outputs'])
    expect(readFileSync(into.path('outputs/dist/a'), 'utf8')).toBe('a')
    expect(lstatSync(into.path('outputs/dist/link'), { throwIfNoEntry: false })).toBeUndefined()
    expect(lstatSync(into.path('other.txt'), { throwIfNoEntry: false })).toBeUndefined()
  })
})
