/**
 * The watcher on a real folder: changes are reported once per burst, only when they match the plan's
 * inputs. "Nothing else was reported" is checked with a sentinel: after the changes that must not
 * count, one that must; the next report holds the sentinel alone.
 */
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type WatchTarget, watchTarget } from '../../src/watch/globs.js'
import { type Watcher, watchFiles } from '../../src/watch/watcher.js'

let root: string
let watcher: Watcher | undefined
let reports: string[][]

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-watch-')))
  for (const dir of ['src/pkg', 'src/generated', 'node_modules/lib', '.git', 'dist']) mkdirSync(path.join(root, dir), { recursive: true })
  write('src/app.ts', 'pyproject.toml', 'README.md', 'src/pkg/a.ts')
  reports = []
})

afterEach(async () => {
  await watcher?.close()
  watcher = undefined
  rmSync(root, { recursive: true, force: true })
})

function write(...files: string[]): void {
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    writeFileSync(path.join(root, file), `${file} ${Math.random()}\n`)
  }
}

async function start(target: WatchTarget, debounceMs = 100): Promise<void> {
  watcher = await watchFiles({ root, target, debounceMs, onChange: (paths) => reports.push(paths) })
}

/** Waits until there are `count` reports; fails at the deadline. */
async function reported(count: number, timeoutMs = 10_000): Promise<string[][]> {
  const deadline = Date.now() + timeoutMs
  while (reports.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} reports in ${timeoutMs} ms, got ${JSON.stringify(reports)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return reports
}

const run = () => {}
const inputs: WatchTarget = watchTarget([{ run, inputs: ['src/**', 'pyproject.toml', '!src/generated/**'], outputs: ['dist/**'] }])

describe('watchFiles', () => {
  it('reports a change to an input, relative to the root', async () => {
    await start(inputs)
    write('src/app.ts')
    expect(await reported(1)).toEqual([['src/app.ts']])
    write('pyproject.toml')
    expect((await reported(2))[1]).toEqual(['pyproject.toml'])
  })

  it('reports a burst of changes once', async () => {
    await start(inputs)
    const burst = Array.from({ length: 40 }, (_, i) => `src/many/f${String(i).padStart(2, '0')}.ts`)
    write(...burst)
    await reported(1)
    write('src/sentinel.ts')
    const [first, second] = await reported(2)
    expect(first).toEqual(burst)
    expect(second).toEqual(['src/sentinel.ts'])
  })

  it('ignores what is not an input: other files, excludes, outputs, node_modules, .git', async () => {
    await start(inputs)
    write('README.md', 'src/generated/x.ts', 'dist/app.js', 'node_modules/lib/i.js', '.git/index')
    write('src/sentinel.ts')
    expect(await reported(1)).toEqual([['src/sentinel.ts']])
  })

  it('sees folders made after it started, files moved in, renames and deletions', async () => {
    await start(inputs)
    write('src/new/deep/b.ts')
    expect((await reported(1))[0]).toEqual(['src/new/deep/b.ts'])
    const outside = mkdtempSync(path.join(os.tmpdir(), 'runts-watch-out-'))
    writeFileSync(path.join(outside, 'm.ts'), 'moved')
    renameSync(outside, path.join(root, 'src/moved'))
    expect((await reported(2))[1]).toEqual(['src/moved/m.ts'])
    rmSync(path.join(root, 'src/pkg/a.ts'))
    expect((await reported(3))[2]).toEqual(['src/pkg/a.ts'])
  })

  it('sees an input whose folder is made after it started, and an input folder removed and made again', async () => {
    await start(watchTarget([{ run, inputs: ['src/**', 'conf/app.json'] }]))
    write('conf/app.json')
    expect((await reported(1))[0]).toEqual(['conf/app.json'])
    rmSync(path.join(root, 'src'), { recursive: true })
    expect((await reported(2))[1]).toEqual(['src/app.ts', 'src/pkg/a.ts'])
    write('src/again.ts')
    expect((await reported(3))[2]).toEqual(['src/again.ts'])
  })

  it('watches the whole project, less .git, node_modules and outputs, when there are no inputs', async () => {
    await start(watchTarget([{ run, outputs: ['dist/**'] }]))
    write('dist/app.js', 'node_modules/lib/i.js', '.git/HEAD')
    write('README.md')
    expect(await reported(1)).toEqual([['README.md']])
  })

  it('reports nothing once closed', async () => {
    await start(inputs)
    write('src/app.ts')
    await reported(1)
    await watcher!.close()
    watcher = undefined
    write('src/app.ts')
    // A second watcher on the same folder sees the next change; the closed one must not have reported it.
    const others: string[][] = []
    const second = await watchFiles({ root, target: inputs, debounceMs: 50, onChange: (paths) => others.push(paths) })
    write('src/pkg/a.ts')
    const deadline = Date.now() + 10_000
    while (others.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    await second.close()
    expect(others).toEqual([['src/pkg/a.ts']])
    expect(reports).toHaveLength(1)
  })
})
