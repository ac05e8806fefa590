import { describe, expect, it } from 'vitest'
import { task } from '../../src/api/task.js'
import type { FilesAhead } from '../../src/cache/ahead.js'
import { forecast } from '../../src/cache/forecast.js'
import type { Judgement, JudgeOptions } from '../../src/cache/judge.js'
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

/** A judge that answers from a table and remembers how it was asked. */
function fakeJudge(answers: Record<string, (ahead: FilesAhead) => Judgement>) {
  const asked = new Map<string, JudgeOptions>()
  const judge = async (node: TaskNode, _args: readonly string[], options: JudgeOptions) => {
    asked.set(node.name, options)
    return answers[node.name]!(options.ahead!)
  }
  return { judge, asked }
}

describe('forecast', () => {
  it('lays what deps restore over the files, later deps last, and fetches only what a later task reads', async () => {
    const p = graph()
    const { judge, asked } = fakeJudge({
      proto: () => ({
        skips: true,
        reason: 'restores from cache',
        inputs: [],
        restores: [file('gen/shared.txt', 'p'), file('gen/p.txt', 'p')],
      }),
      gen: () => ({ skips: true, reason: 'restores from cache', inputs: [], restores: [file('gen/shared.txt', 'g')] }),
      lint: () => ({ skips: false, reason: 'no inputs declared', inputs: [] }),
      build: (ahead) => {
        expect(ahead.get('gen/shared.txt')?.hash).toBe('g')
        return { skips: true, reason: 'up to date', inputs: ['gen/p.txt', 'gen/shared.txt'], restores: [] }
      },
    })
    expect(await forecast(p.order, p.target, [], judge)).toEqual([
      ['proto', 'skips: restores from cache'],
      ['gen', 'skips: restores from cache'],
      ['lint', 'runs: no inputs declared'],
      ['build', 'skips: up to date once proto restores gen/p.txt and gen restores gen/shared.txt'],
      ['release', 'runs its deps only'],
    ])
    expect([...asked].map(([name, options]) => [name, options.fetch])).toEqual([
      ['proto', true],
      ['gen', true],
      ['lint', true],
      ['build', false],
    ])
  })

  it('says may run, naming the dep, when a dep that runs first writes what the task reads', async () => {
    const p = graph()
    const changes = { files: ['gen/shared.txt'], fileTexts: ['gen/shared.txt removed'], others: [] }
    const answers = {
      proto: () => ({ skips: false, reason: 'proto/a changed', inputs: [] }),
      gen: () => ({ skips: true, reason: 'up to date', inputs: ['src/a'], restores: [] }),
      lint: () => ({ skips: false, reason: 'no inputs declared', inputs: [] }),
      build: () => ({ skips: false, reason: 'gen/shared.txt removed', inputs: [], changes }),
    }
    const lines = await forecast(p.order, p.target, [], fakeJudge(answers).judge)
    expect(lines[3]).toEqual(['build', 'may run: gen/shared.txt removed, but proto runs first and writes gen/**'])
    // Something else changed too: it runs, whatever the dep writes.
    const more = { ...answers, build: () => ({ skips: false, reason: 'x', inputs: [], changes: { ...changes, others: ['args changed'] } }) }
    expect((await forecast(p.order, p.target, [], fakeJudge(more).judge))[3]).toEqual(['build', 'runs: x'])
  })
})
