import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ENTRY_FORMAT } from '../../src/cache/store/entry-format.js'
import { chooseEvictions } from '../../src/cache/store/eviction.js'
import { LocalStore } from '../../src/cache/store/local-store.js'
import { decodeOutput, encodeOutput } from '../../src/cache/store/replay.js'
import { Tree } from '../helpers/tree.js'

const trees: Tree[] = []
afterEach(() => {
  for (const t of trees.splice(0)) t.remove()
})

describe('chooseEvictions', () => {
  const entries = [
    { key: 'new', bytes: 40, usedAt: 300 },
    { key: 'old', bytes: 40, usedAt: 100 },
    { key: 'mid', bytes: 40, usedAt: 200 },
  ]

  it('evicts nothing while everything fits', () => {
    expect(chooseEvictions(entries, 120)).toEqual([])
  })

  it('evicts least recently used first, only as many as needed', () => {
    expect(chooseEvictions(entries, 100)).toEqual(['old'])
    expect(chooseEvictions(entries, 50)).toEqual(['old', 'mid'])
    expect(chooseEvictions(entries, 0)).toEqual(['old', 'mid', 'new'])
  })

  it('never evicts the entry it is told to keep', () => {
    expect(chooseEvictions(entries, 50, 'old')).toEqual(['mid', 'new'])
  })
})

describe('LocalStore', () => {
  const put = (store: LocalStore, key: string, bytes: number, usedSecondsAgo: number) => {
    const dir = store.scratch(key)
    mkdirSync(path.join(dir, 'outputs'))
    writeFileSync(path.join(dir, 'outputs', 'out.bin'), Buffer.alloc(bytes))
    writeFileSync(path.join(dir, 'output.log'), '')
    const meta = path.join(dir, 'meta.json')
    const outputs = [{ file: 'out.bin', size: bytes, hash: '' }]
    writeFileSync(meta, JSON.stringify({ format: ENTRY_FORMAT, key, task: 't', duration: 1, outputs, log: '' }))
    const when = new Date(Date.now() - usedSecondsAgo * 1000)
    utimesSync(meta, when, when)
    return store.publish(dir, key, bytes)
  }

  it('stays under its size, evicting the least recently used, a use counting as recent', () => {
    const t = new Tree()
    trees.push(t)
    const store = new LocalStore(t.dir, 3500)
    put(store, 'a', 1000, 30)
    put(store, 'b', 1000, 20)
    put(store, 'c', 1000, 10)
    store.touch('a')
    put(store, 'd', 1000, 0)
    expect(store.read('a')).toBeDefined()
    expect(store.read('b')).toBeUndefined()
    expect(store.read('c')).toBeDefined()
    expect(store.read('d')).toBeDefined()
    expect(store.usage().reduce((n, u) => n + u.bytes, 0)).toBeLessThanOrEqual(3500)
  })

  it('keeps the first of two writers of one entry, and ignores half-built folders', () => {
    const t = new Tree()
    trees.push(t)
    const store = new LocalStore(t.dir, 1e9)
    expect(put(store, 'k', 10, 0)).toBe(true)
    expect(put(store, 'k', 20, 0)).toBe(false)
    mkdirSync(path.join(store.entries, '.tmp-1-1-x'))
    expect(store.usage()).toMatchObject([{ key: 'k', bytes: 10 }])
  })

  it('counts entries of the first format (outputs in one tar) until they are evicted', () => {
    const t = new Tree()
    trees.push(t)
    const store = new LocalStore(t.dir, 1500)
    const old = path.join(store.entries, 'old')
    mkdirSync(old, { recursive: true })
    writeFileSync(path.join(old, 'outputs.tar'), Buffer.alloc(1000))
    writeFileSync(path.join(old, 'meta.json'), '{"format":"runts-entry/1"}')
    const when = new Date(Date.now() - 60_000)
    utimesSync(path.join(old, 'meta.json'), when, when)
    expect(store.usage()).toMatchObject([{ key: 'old', bytes: 1026 }])
    put(store, 'new', 1000, 0)
    expect(store.usage().map((u) => u.key)).toEqual(['new'])
  })
})

describe('output replay', () => {
  it('round-trips chunks, joining those of one stream in a row', () => {
    const chunks = [
      { stream: 'stdout' as const, data: Buffer.from('a') },
      { stream: 'stdout' as const, data: Buffer.from('b') },
      { stream: 'stderr' as const, data: Buffer.from([0, 255]) },
    ]
    const back = decodeOutput(encodeOutput(chunks))
    expect(back.map((c) => [c.stream, [...c.data]])).toEqual([
      ['stdout', [97, 98]],
      ['stderr', [0, 255]],
    ])
    expect(() => decodeOutput(encodeOutput(chunks).subarray(0, 13))).toThrow(/damaged/)
  })
})
