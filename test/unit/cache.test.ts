import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type TaskOptions, task } from '../../src/api/task.js'
import { Cache, type CacheOptions } from '../../src/cache/cache.js'
import { Masker } from '../../src/env/mask.js'
import { buildGraph, type TaskNode } from '../../src/plan/graph.js'
import type { Opened, OutputChunk } from '../../src/run/gate.js'
import { Tree } from '../helpers/tree.js'

const trees: Tree[] = []
afterEach(() => {
  for (const t of trees.splice(0)) t.remove()
})

const out = (text: string, stream: OutputChunk['stream'] = 'stdout'): OutputChunk => ({ stream, data: Buffer.from(text) })
const text = (chunks: readonly OutputChunk[]) => chunks.map((c) => `${c.stream}:${Buffer.from(c.data).toString()}`).join('|')

/** What `run --why` says of the task. */
const reason = async (c: Cache, n: TaskNode, args: string[]) => (await c.verdict(n, args)).reason

const replayed = (opened: Opened): readonly OutputChunk[] => {
  if (opened.action !== 'skip') throw new Error('expected the task to be skipped')
  return opened.output
}

function setup(options: Partial<CacheOptions> = {}) {
  const t = new Tree({ 'src/app.py': 'print(1)\n', 'pyproject.toml': '[project]\n' })
  trees.push(t)
  const warnings: string[] = []
  const cache = (more: Partial<CacheOptions> = {}) =>
    new Cache({ root: t.dir, env: {}, warn: (m) => warnings.push(m), ...options, ...more })
  const node = (o: TaskOptions = {}): TaskNode =>
    buildGraph({ build: task({ inputs: ['src/**', 'pyproject.toml'], outputs: ['dist/**'], run: () => {}, ...o }) }).byName.get('build')!
  let runs = 0
  /** What the runner does: ask the gate, and when told to run, "run" (write dist/) and finish. */
  const perform = async (c: Cache, n = node(), args: string[] = [], ok = true): Promise<Opened> => {
    const opened = await c.open(n, args)
    if (opened.action === 'run') {
      runs++
      t.write({ 'dist/app.whl': `wheel of ${readFileSync(t.path('src/app.py'), 'utf8')}`, 'dist/sub/meta.txt': 'meta' })
      await opened.finish({ ok, output: [out('building\n'), out('warning: x\n', 'stderr'), out('done\n')] })
    }
    return opened
  }
  return { t, cache, node, perform, warnings, runs: () => runs }
}

describe('Cache', () => {
  it('runs a task the first time, then skips it as up to date and replays its output', async () => {
    const { cache, perform, runs, warnings } = setup()
    expect((await perform(cache())).action).toBe('run')
    const again = await perform(cache())
    expect(again).toMatchObject({ action: 'skip', status: 'up-to-date' })
    expect(text(replayed(again))).toBe('stdout:building\n|stderr:warning: x\n|stdout:done\n')
    expect(runs()).toBe(1)
    expect(warnings).toEqual([])
  })

  it('restores missing or changed outputs', async () => {
    const { t, cache, perform } = setup()
    await perform(cache())
    rmSync(t.path('dist'), { recursive: true })
    expect(await perform(cache())).toMatchObject({ action: 'skip', status: 'restored' })
    expect(readFileSync(t.path('dist/app.whl'), 'utf8')).toBe('wheel of print(1)\n')
    expect(readFileSync(t.path('dist/sub/meta.txt'), 'utf8')).toBe('meta')
    writeFileSync(t.path('dist/app.whl'), 'wheel of print(X)\n') // same size, other content
    expect(await perform(cache())).toMatchObject({ action: 'skip', status: 'restored' })
    expect(readFileSync(t.path('dist/app.whl'), 'utf8')).toBe('wheel of print(1)\n')
    expect(await perform(cache())).toMatchObject({ status: 'up-to-date' })
  })

  it('does not rerun after a touch, and rebuilds nothing after switching a branch away and back', async () => {
    const { t, cache, perform, runs } = setup()
    await perform(cache())
    t.write({ 'src/app.py': 'print(1)\n' })
    expect(await perform(cache())).toMatchObject({ status: 'up-to-date' })
    t.write({ 'src/app.py': 'print(2)\n' }) // the other branch
    expect((await perform(cache())).action).toBe('run')
    t.write({ 'src/app.py': 'print(1)\n' }) // back
    expect(await perform(cache())).toMatchObject({ action: 'skip', status: 'restored' })
    expect(readFileSync(t.path('dist/app.whl'), 'utf8')).toBe('wheel of print(1)\n')
    expect(runs()).toBe(2)
  })

  it('records nothing for a run that did not succeed, and keeps nothing it half wrote', async () => {
    const { t, cache, perform } = setup()
    await perform(cache(), undefined, [], false)
    expect((await perform(cache())).action).toBe('run') // that one succeeds
    t.write({ 'src/app.py': 'print(3)\n' })
    await perform(cache(), undefined, [], false) // wrote dist/ for print(3), failed
    t.write({ 'src/app.py': 'print(1)\n' })
    const back = await perform(cache())
    expect(back).toMatchObject({ action: 'skip', status: 'restored' })
    expect(readFileSync(t.path('dist/app.whl'), 'utf8')).toBe('wheel of print(1)\n')
  })

  it('always runs a task without inputs, and every task with force, recording it', async () => {
    const { cache, node, perform, runs } = setup()
    expect(await cache().open(node({ inputs: undefined }), [])).toMatchObject({ action: 'run', record: false })
    await perform(cache())
    expect(await reason(cache({ force: true }), node(), [])).toBe('forced (--force)')
    expect(await perform(cache({ force: true }))).toMatchObject({ action: 'run' })
    expect(await perform(cache())).toMatchObject({ status: 'up-to-date' })
    expect(runs()).toBe(2)
  })

  it('explains why each task would run or not, running and restoring nothing', async () => {
    const { t, cache, node, perform } = setup()
    expect(await reason(cache(), node({ inputs: undefined }), [])).toBe('no inputs declared')
    expect(await reason(cache(), node(), [])).toBe('never ran')
    await perform(cache(), node({ env: ['PYTHON'] }))
    expect(await reason(cache(), node({ env: ['PYTHON'] }), [])).toBe('up to date')
    rmSync(t.path('dist'), { recursive: true })
    expect(await reason(cache(), node({ env: ['PYTHON'] }), [])).toBe('restores from cache')
    expect(existsSync(t.path('dist'))).toBe(false)
    t.write({ 'src/app.py': 'print(2)\n' })
    expect(await reason(cache(), node({ env: ['PYTHON'] }), [])).toBe('src/app.py changed')
    t.write({ 'src/app.py': 'print(1)\n' })
    expect(await reason(cache({ env: { PYTHON: 'python3' } }), node({ env: ['PYTHON'] }), [])).toBe('env PYTHON changed')
    t.write({ 'src/new.py': '' })
    expect(await reason(cache(), node({ env: ['PYTHON'] }), ['-v'])).toBe('src/new.py added, args changed')
  })

  it('masks variables named as secrets in kept output, even without the masker of the run', async () => {
    const { cache, node } = setup({ env: { PYPI_TOKEN: 'pypi-AgEIcHlwaS5vcmc' } })
    const opened = await cache().open(node(), [])
    if (opened.action !== 'run') throw new Error('expected a run')
    await opened.finish({ ok: true, output: [out('uploading with pypi-AgEIcHlwaS5vcmc\n')] })
    expect(text(replayed(await cache().open(node(), [])))).toBe('stdout:uploading with ***\n')
  })

  it('writes no secret to disk: variables are hashed, replayed output is masked', async () => {
    const secret = 'tok-9f8e7d6c5b4a'
    const { t, cache, node } = setup({ env: { API_TOKEN: secret }, masker: new Masker([secret]) })
    const opened = await cache().open(node({ env: ['API_TOKEN'] }), [`--token=${secret}`])
    if (opened.action !== 'run') throw new Error('expected a run')
    // The secret cut across two chunks of one stream is still masked.
    await opened.finish({ ok: true, output: [out(`token ${secret.slice(0, 6)}`), out(`${secret.slice(6)} used\n`)] })
    const replay = await cache().open(node({ env: ['API_TOKEN'] }), [`--token=${secret}`])
    expect(text(replayed(replay))).toBe('stdout:token *** used\n')
    const files = readdirSync(t.path('node_modules'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    expect(files.length).toBeGreaterThan(3)
    for (const file of files) expect(readFileSync(path.join(file.parentPath, file.name), 'latin1')).not.toContain(secret)
  })
})

describe('Cache, entries under stress', () => {
  it('stores one whole entry when two runs finish the same task at once', async () => {
    const { t, cache, node, warnings } = setup()
    const [a, b] = [cache(), cache()]
    const [oa, ob] = await Promise.all([a.open(node(), []), b.open(node(), [])])
    if (oa.action !== 'run' || ob.action !== 'run') throw new Error('expected both to run')
    t.write({ 'dist/app.whl': 'wheel' })
    await Promise.all([oa.finish({ ok: true, output: [out('a\n')] }), ob.finish({ ok: true, output: [out('b\n')] })])
    const entries = readdirSync(t.path('node_modules/.cache/runts/tasks/entries'))
    expect(entries.filter((e) => !e.startsWith('.tmp-'))).toHaveLength(1)
    expect(entries.filter((e) => e.startsWith('.tmp-'))).toEqual([])
    rmSync(t.path('dist'), { recursive: true })
    expect(await cache().open(node(), [])).toMatchObject({ action: 'skip', status: 'restored' })
    expect(warnings).toEqual([])
  })

  it('runs the task when its local entry is damaged, and replaces the entry', async () => {
    const { t, cache, perform } = setup()
    await perform(cache())
    const [key] = readdirSync(t.path('node_modules/.cache/runts/tasks/entries'))
    const copy = t.path(`node_modules/.cache/runts/tasks/entries/${key}/outputs/dist/app.whl`)
    writeFileSync(copy, readFileSync(copy).subarray(0, 5))
    rmSync(t.path('dist'), { recursive: true })
    expect((await perform(cache())).action).toBe('run')
    rmSync(t.path('dist'), { recursive: true })
    expect(await perform(cache())).toMatchObject({ action: 'skip', status: 'restored' })
    expect(readFileSync(t.path('dist/app.whl'), 'utf8')).toBe('wheel of print(1)\n')
  })
})
