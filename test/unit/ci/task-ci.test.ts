import { describe, expect, it } from 'vitest'
import { task } from '../../../src/api/task.js'
import { buildGraph } from '../../../src/plan/graph.js'

describe('task({ ci })', () => {
  it('keeps each event once, in one order, and the graph carries it', () => {
    expect(task({ ci: ['dispatch', 'push', 'release', 'push'] }).ci).toEqual(['push', 'release', 'dispatch'])
    expect(task({}).ci).toEqual([])
    const graph = buildGraph({ check: task({ ci: ['pull_request', 'push'] }), plain() {} })
    expect(graph.byName.get('check')!.ci).toEqual(['push', 'pull_request'])
    expect(graph.byName.get('plain')!.ci).toEqual([])
  })

  it('names the bad value and the allowed ones', () => {
    const allowed = "'push', 'pull_request', 'release', 'tag', 'dispatch'"
    // @ts-expect-error: a GitHub event name that is not one of ours
    expect(() => task({ ci: ['workflow_dispatch'] })).toThrow(
      new TypeError(`task({ ci }) has "workflow_dispatch", which is not an event: use ${allowed}`),
    )
    // @ts-expect-error: not an array
    expect(() => task({ ci: 'push' })).toThrow(new TypeError(`task({ ci }) must be an array of events (${allowed}), not string`))
    // @ts-expect-error: not a string
    expect(() => task({ ci: ['push', 3] })).toThrow(/has 3, which is not an event/)
  })

  it('accepts a task object made by a copy of runts that predates `ci`', () => {
    const old = task({ run: () => {} }) as { ci?: unknown }
    delete old.ci
    expect(buildGraph({ old }).byName.get('old')!.ci).toEqual([])
  })
})
