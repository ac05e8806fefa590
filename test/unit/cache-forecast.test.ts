import { describe, expect, it } from 'vitest'
import { task } from '../../src/api/task.js'
import type { FilesAhead } from '../../src/cache/ahead.js'
import type { Fingerprint } from '../../src/cache/fingerprint/fingerprint.js'
import { HASH_LENGTH, TableBuilder } from '../../src/cache/fingerprint/input-table.js'
import { forecast } from '../../src/cache/forecast.js'
import type { OutputFile } from '../../src/cache/store/entry-format.js'
import type { Verdict, VerdictOptions } from '../../src/cache/verdict.js'
import { buildGraph, type TaskNode } from '../../src/plan/graph.js'
import { plan } from '../../src/plan/plan.js'

const file = (name: string, hash: string) => ({ file: name, size: 1, hash })

/** proto and gen both write gen/shared.txt; build reads gen/**; lint has no inputs; release has no run. */
function graph() {
  const proto = task({ inputs: ['proto/**'], outputs: ['gen/**'], run: () => {} })
  const gen = task({ deps: [proto], inputs: ['src/**'], outputs: ['gen/**'], run: () => {} })
  const lint = task({ run: () => {} })
  const build = task({ deps: [gen, lint], inputs: ['gen/**'], outputs: ['dist/**'], run: () => {} })
  const release = task({ deps: [build] })
  return plan(buildGraph({ proto, gen, lint, build, release }), 'release')
}

/** A verdict that skips: restoring `restores` (up to date when none), the entry holding `outputs`. */
function skips(inputs: string[], restores: OutputFile[], outputs: OutputFile[] = restores): Verdict {
  const restored = restores.length > 0
  const table = new TableBuilder()
  for (const file of inputs) table.add(file, 0, 0, 0, 0, 'h'.repeat(HASH_LENGTH))
  return {
    action: 'skip',
    status: restored ? 'restored' : 'up-to-date',
    reason: restored ? 'restores from cache' : 'up to date',
    restores,
    entry: { meta: { format: '', key: '', task: '', duration: 0, outputs, log: '' }, output: [] },
    fingerprint: { inputs: table.build() } as Fingerprint,
    previous: undefined,
    stats: [],
    read: 0,
  }
}

const runs = (reason: string, changes?: Extract<Verdict, { action: 'run' }>['changes']): Verdict => ({
  action: 'run',
  reason,
  changes,
})

/** A decider that answers from a table and remembers how it was asked. */
function fakeDecide(answers: Record<string, (ahead: FilesAhead) => Verdict>) {
  const asked = new Map<string, VerdictOptions>()
  const decide = async (node: TaskNode, _args: readonly string[], options: VerdictOptions) => {
    asked.set(node.name, options)
    return answers[node.name]!(options.ahead!)
  }
  return { decide, asked }
}

describe('forecast', () => {
  it('lays what the tasks before restore over the files, later ones last', async () => {
    const p = graph()
    const { decide } = fakeDecide({
      proto: () => skips([], [file('gen/shared.txt', 'p'), file('gen/p.txt', 'p')]),
      gen: () => skips([], [file('gen/shared.txt', 'g')]),
      lint: () => runs('no inputs declared'),
      build: (ahead) => {
        expect(ahead.get('gen/shared.txt')?.hash).toBe('g')
        return skips(['gen/p.txt', 'gen/shared.txt'], [])
      },
    })
    expect(await forecast(p.order, p.takesArgs, [], decide)).toEqual([
      ['proto', 'skips: restores from cache'],
      ['gen', 'skips: restores from cache'],
      ['lint', 'runs: no inputs declared'],
      ['build', 'skips: up to date once proto restores gen/p.txt and gen restores gen/shared.txt'],
      ['release', 'runs its deps only'],
    ])
  })

  it('says may run, naming the task, when one that runs first writes what the task reads', async () => {
    const p = graph()
    const changes = { files: ['gen/shared.txt'], fileTexts: ['gen/shared.txt removed'], others: [] }
    const answers = {
      proto: () => runs('proto/a changed'),
      gen: () => skips(['src/a'], []),
      lint: () => runs('no inputs declared'),
      build: () => runs('gen/shared.txt removed', changes),
    }
    const lines = await forecast(p.order, p.takesArgs, [], fakeDecide(answers).decide)
    expect(lines[3]).toEqual(['build', 'may run: gen/shared.txt removed, but proto runs first and writes gen/**'])
    // Something else changed too: it runs, whatever the dep writes.
    const more = { ...answers, build: () => runs('x', { ...changes, others: ['args changed'] }) }
    expect((await forecast(p.order, p.takesArgs, [], fakeDecide(more).decide))[3]).toEqual(['build', 'runs: x'])
  })

  it('says an up-to-date task restores if a task that runs before it (not only a dep) may change its outputs', async () => {
    // release:prod's order: lint, clean, build. clean declares no outputs, and its run names dist.
    const lint = task({ run: () => {} })
    const clean = task({ run: () => 'rm -rf dist build' })
    const build = task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => {} })
    const tidy = task({ run: () => 'echo distance' })
    const release = task({ name: 'release:prod', deps: [lint, tidy, clean, build] })
    const p = plan(buildGraph({ lint, clean, build, tidy, release }), 'release:prod')
    const answers = {
      lint: () => runs('no inputs declared'),
      tidy: () => runs('no inputs declared'),
      clean: () => runs('no inputs declared'),
      build: () => skips(['src/a.py'], [], [file('dist/app.whl', 'w')]),
    }
    expect((await forecast(p.order, p.takesArgs, [], fakeDecide(answers).decide)).find(([name]) => name === 'build')).toEqual([
      'build',
      'skips: up to date, or restores from cache if clean (which runs first) changes dist',
    ])
    // Without clean, nothing that runs first names dist: up to date, as the run then says.
    const quiet = plan(buildGraph({ lint, build, tidy, release: task({ deps: [lint, tidy, build] }) }), 'release')
    expect((await forecast(quiet.order, quiet.takesArgs, [], fakeDecide(answers).decide)).at(-2)).toEqual(['build', 'skips: up to date'])
  })

  it('says a task that would skip may run when a task that runs first names the cache folder', async () => {
    const clean = task({ run: () => 'rm -rf dist node_modules/.cache/runts' })
    const build = task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => {} })
    const p = plan(buildGraph({ clean, build, release: task({ deps: [clean, build] }) }), 'release')
    const answers = { clean: () => runs('no inputs declared'), build: () => skips(['src/a.py'], [], [file('dist/app.whl', 'w')]) }
    expect((await forecast(p.order, p.takesArgs, [], fakeDecide(answers).decide))[1]).toEqual([
      'build',
      'may run: clean runs first and may remove the cache (node_modules/.cache/runts)',
    ])
  })
})
