import { describe, expect, it } from 'vitest'
import { parallel, task } from '../../src/api/task.js'
import { RuntsError } from '../../src/errors.js'
import { buildGraph, directDeps, graphProblems } from '../../src/plan/graph.js'
import { checkEnv, confirmations, missingEnv, plan } from '../../src/plan/plan.js'

const names = (exports: Record<string, unknown>, target: string) => plan(buildGraph(exports), target).order.map((n) => n.name)

function error(fn: () => unknown): RuntsError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RuntsError) return e
    throw e
  }
  throw new Error('expected a RuntsError')
}

describe('buildGraph', () => {
  it('names tasks by `name`, else by export name, and takes plain functions', () => {
    const g = buildGraph({ publishTest: task({ name: 'publish:test' }), build: task(() => {}), hello() {}, other: 42 })
    expect(g.public.map((n) => n.name).sort()).toEqual(['build', 'hello', 'publish:test'])
  })

  it('keeps unexported tasks private but reachable as deps', () => {
    const helper = task({ name: 'helper' })
    const g = buildGraph({ main: task({ deps: [helper] }) })
    expect(g.public.map((n) => n.name)).toEqual(['main'])
    expect(g.byName.get('helper')?.public).toBe(false)
  })

  it('resolves deps by object, by name and through parallel()', () => {
    const a = task(() => {})
    const g = buildGraph({ a, b: task({}), c: task({ deps: [parallel(a, 'b')] }) })
    expect(directDeps(g.byName.get('c')!).map((n) => n.name)).toEqual(['a', 'b'])
  })

  it('lets a name refer to a private task', () => {
    const hidden = task({ name: 'hidden' })
    const g = buildGraph({ a: task({ deps: [hidden] }), b: task({ deps: ['hidden'] }) })
    expect(directDeps(g.byName.get('b')!)[0]).toBe(g.byName.get('hidden'))
  })

  it('rejects two tasks with one name', () => {
    const e = error(() => buildGraph({ a: task({ name: 'x' }), b: task({ name: 'x' }) }))
    expect(e.kind).toBe('duplicate-task')
    expect(e.message).toBe("two tasks are named 'x': export a, and export b")
    expect(e.exitCode).toBe(2)
  })

  it("refuses a task name that starts with '-', whether task() or an export gives it (exit 2, naming it)", () => {
    expect(() => task({ name: '-x' })).toThrow(
      'task({ name: "-x" }): a task name may not start with \'-\' (`run -x` would read it as a flag)',
    )
    const e = error(() => buildGraph({ '-y': task({}) }, '/p/tasks.config.ts'))
    expect(e.kind).toBe('load')
    expect(e.exitCode).toBe(2)
    expect(e.message).toBe("the task '-y' (export '-y'): a task name may not start with '-' (`run -y` would read it as a flag)")
    expect(e.task).toBe('-y')
    expect(e.location?.file).toBe('/p/tasks.config.ts')
    expect(buildGraph({ 'x-': task({ name: 'a-b' }) }).public.map((n) => n.name)).toEqual(['a-b'])
  })

  it('accepts one task exported under two names, runnable by both', () => {
    const t = task({})
    const g = buildGraph({ a: t, b: t })
    expect(g.public).toHaveLength(1)
    expect(plan(g, 'b').target).toBe(plan(g, 'a').target)
  })

  it('rejects a private task that takes the name of another', () => {
    const e = error(() => buildGraph({ build: task({}), x: task({ deps: [task({ name: 'build' })] }) }))
    expect(e.kind).toBe('duplicate-task')
    expect(e.message).toContain('export build')
  })

  it('rejects an unknown dependency name with a suggestion, for a plan that reaches it', () => {
    const g = buildGraph({ build: task({}), release: task({ deps: ['biuld'] }) })
    expect(plan(g, 'build').order).toHaveLength(1)
    expect(graphProblems(g)).toHaveLength(1)
    const e = error(() => plan(g, 'release'))
    expect(e.kind).toBe('unknown-dependency')
    expect(e.message).toContain("'release' depends on 'biuld'")
    expect(e.hint).toContain("'build'")
  })

  it('rejects an undefined dependency (a typo in an import)', () => {
    const e = error(() => plan(buildGraph({ release: task({ deps: [undefined as never] }) }), 'release'))
    expect(e.kind).toBe('unknown-dependency')
    expect(e.message).toContain('undefined')
  })

  it('reports a cycle as its whole circle', () => {
    const e = error(() =>
      plan(buildGraph({ a: task({ deps: ['b'] }), b: task({ deps: ['c'] }), c: task({ deps: ['a'] }), d: task({}) }), 'a'),
    )
    expect(e.kind).toBe('cycle')
    expect(e.message).toMatch(/a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c/)
  })

  it('reports a task depending on itself', () => {
    const g = buildGraph({ a: task({ deps: ['a'] }), ok: task({}) })
    expect(error(() => plan(g, 'a')).message).toContain('a -> a')
    expect(plan(g, 'ok').order).toHaveLength(1)
    expect(graphProblems(g)[0]?.kind).toBe('cycle')
  })
})

describe('plan', () => {
  const lint = task({})
  const test = task({})
  const clean = task({})
  const build = task({ deps: [clean] })
  const publish = task({ name: 'publish:test', deps: [build] })
  const exports = {
    lint,
    test,
    clean,
    build,
    publish,
    release: task({ name: 'release:test', deps: [parallel(lint, test), clean, build, publish] }),
  }

  it('orders deps as written and runs each task once', () => {
    expect(names(exports, 'release:test')).toEqual(['lint', 'test', 'clean', 'build', 'publish:test', 'release:test'])
  })

  it('puts a shared dependency at its first use', () => {
    const shared = task({})
    const g = { shared, a: task({ deps: [shared] }), b: task({ deps: [shared] }), all: task({ deps: ['b', 'a'] }) }
    expect(names(g, 'all')).toEqual(['shared', 'b', 'a', 'all'])
  })

  it('rejects an unknown task with the nearest names', () => {
    const e = error(() => plan(buildGraph(exports), 'biuld'))
    expect(e.kind).toBe('unknown-task')
    expect(e.hint).toContain("'build'")
  })

  it('does not run a private task by name, and says why', () => {
    const g = buildGraph({ a: task({ deps: [task({ name: 'secret-helper' })] }) })
    const e = error(() => plan(g, 'secret-helper'))
    expect(e.kind).toBe('unknown-task')
    expect(e.message).toContain('private')
  })

  it('plans a 10,000-task chain without overflowing the stack', () => {
    const chain: Record<string, unknown> = { t0: task({}) }
    for (let i = 1; i < 10_000; i++) chain[`t${i}`] = task({ deps: [`t${i - 1}`] })
    expect(plan(buildGraph(chain), 't9999').order).toHaveLength(10_000)
  })
})

describe('required variables and confirmations', () => {
  const exports = {
    a: task({ env: ['TOKEN_A', 'SHARED'] }),
    b: task({ env: ['SHARED'], confirm: 'Sure?' }),
    all: task({ deps: ['a', 'b'], env: ['TOKEN_C'] }),
  }

  it('names every missing or empty variable with every task that needs it', () => {
    const p = plan(buildGraph(exports), 'all')
    expect(Object.fromEntries(missingEnv(p, { TOKEN_A: 'x', SHARED: '' }))).toEqual({ SHARED: ['a', 'b'], TOKEN_C: ['all'] })
    const e = error(() => checkEnv(p, {}))
    expect(e.kind).toBe('missing-env')
    expect(e.message).toContain('TOKEN_A')
    expect(e.message).toContain('SHARED  (needed by a, b)')
    expect(e.message).toContain('TOKEN_C')
  })

  it('passes when all are set', () => {
    expect(() => checkEnv(plan(buildGraph(exports), 'all'), { TOKEN_A: '1', SHARED: '2', TOKEN_C: '3' })).not.toThrow()
  })

  it('collects the confirmations of the whole plan', () => {
    expect(confirmations(plan(buildGraph(exports), 'all')).map((n) => n.name)).toEqual(['b'])
  })
})

describe('names', () => {
  it('refuses an empty name', () => {
    expect(() => task({ name: '' })).toThrow(/non-empty/)
  })

  it('labels an unnamed private task after the task that needs it', () => {
    const g = buildGraph({ release: task({ deps: [task({ run: () => {} }), task({ run: () => {} })] }) })
    expect(plan(g, 'release').order.map((n) => n.name)).toEqual(['release.deps[0]', 'release.deps[1]', 'release'])
  })
})

describe('task() options', () => {
  it('refuses an option it does not know, naming the nearest one, instead of ignoring a typo', () => {
    expect(() => task({ dep: [], run: () => {} } as never)).toThrow("task() has no option 'dep' (did you mean 'deps'?)")
    expect(() => task({ input: ['x'], descripton: 'typo', run: () => {} } as never)).toThrow(
      /'input' \(did you mean 'inputs'\?\), 'descripton' \(did you mean 'description'\?\)/,
    )
  })
})
