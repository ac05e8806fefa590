import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { hashOf } from '../../src/cache/fingerprint/hash.js'
import { InputSet } from '../../src/cache/inputs/input-set.js'
import { packFolder, unpackFolder } from '../../src/cache/shared/archive.js'
import { refusedEntry } from '../../src/cache/shared/artifact-check.js'
import { restoreOutputs, storeOutputs } from '../../src/cache/store/copies.js'
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
    expect(stored.stats[0]).toEqual(['dist/app.whl', 5, when.getTime(), expect.any(Number), expect.any(Number)])
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
  const outputs = new InputSet(['dist/**'])
  const check = (entry: string, type: string | undefined) => refusedEntry(entry, type, outputs)

  it('round-trip an entry folder through a file', async () => {
    const entry = tree({ 'meta.json': '{}', 'output.log': '', 'outputs/dist/a': 'a', 'outputs/dist/sub/b': 'b' })
    const work = tree()
    const size = await packFolder(entry.dir, ['meta.json', 'output.log', 'outputs'], work.path('a.tgz'), 1 << 20)
    expect(statSync(work.path('a.tgz')).size).toBe(size)
    const into = tree()
    await unpackFolder(work.path('a.tgz'), into.dir, 1 << 20, check)
    expect(readFileSync(into.path('outputs/dist/a'), 'utf8')).toBe('a')
    expect(readFileSync(into.path('outputs/dist/sub/b'), 'utf8')).toBe('b')
  })

  it('refuses the whole archive for a link, a file the outputs do not name, or anything else', async () => {
    const cases: Array<[Record<string, string>, (t: Tree) => void, RegExp]> = [
      [{ 'outputs/dist/a': 'a' }, (t) => symlinkSync('/etc/passwd', t.path('outputs/dist/link')), /SymbolicLink/],
      [{ 'outputs/dist/a': 'a', 'outputs/src/a.txt': 'x' }, () => {}, /src\/a.txt, which the task's outputs \(dist\/\*\*\) do not name/],
      [{ 'outputs/dist/a': 'a', 'other.txt': 'x' }, () => {}, /other.txt/],
    ]
    for (const [files, more, refused] of cases) {
      const entry = tree({ 'meta.json': '{}', 'output.log': '', ...files })
      more(entry)
      const work = tree()
      await packFolder(
        entry.dir,
        ['meta.json', 'output.log', 'outputs', ...('other.txt' in files ? ['other.txt'] : [])],
        work.path('a.tgz'),
        1 << 20,
      )
      const into = tree()
      await expect(unpackFolder(work.path('a.tgz'), into.dir, 1 << 20, check)).rejects.toThrow(refused)
    }
    expect(check('outputs/.git/hooks/pre-commit', 'File')).toMatch(/under \.git/)
    expect(check('outputs/../../x', 'File')).toMatch(/outside the project/)
    expect(check('/etc/x', 'File')).toMatch(/not part of an entry/)
    expect(check('outputs/dist/a', 'Link')).toMatch(/not a file/)
    expect(check('outputs/dist/', 'Directory')).toBeUndefined()
    expect(check('outputs/../', 'Directory')).toMatch(/outside the project/)
    // A path is anyone's text: shown escaped, never as terminal control or a bidi override.
    const shown = check('outputs/.git/\u001b[2J\u202ehook', 'File')!
    expect(shown).toContain('"outputs/.git/\\u001b[2J\\u202ehook"'.replace('outputs/', ''))
    expect([...shown].some((c) => c === '\u001b' || c === '\u202e')).toBe(false)
    expect(check(`outputs/src/${'x'.repeat(500)}`, 'File')!.length).toBeLessThan(400)
  })

  it('stops a pack or an unpack at the size limit', async () => {
    const entry = tree({ 'meta.json': '{}', 'output.log': '', 'outputs/dist/big': 'x'.repeat(200_000) })
    const work = tree()
    await expect(packFolder(entry.dir, ['meta.json', 'output.log', 'outputs'], work.path('b.tgz'), 100)).rejects.toThrow(/more than/)
    await packFolder(entry.dir, ['meta.json', 'output.log', 'outputs'], work.path('b.tgz'), 1 << 20)
    // Small packed (zeros compress), large unpacked: a bomb, in small.
    expect(statSync(work.path('b.tgz')).size).toBeLessThan(10_000)
    await expect(unpackFolder(work.path('b.tgz'), tree().dir, 100_000, check)).rejects.toThrow(/unpacks to more than/)
  })
})
