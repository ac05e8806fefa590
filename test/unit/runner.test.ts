/**
 * The runner on its own: JavaScript-only tasks, a fake clock and a fake
 * process layer. Scheduling, failure policy, cancellation, timeouts and the
 * gate, in milliseconds and without a single process.
 */
import { describe, expect, it } from 'vitest'
import { parallel, type Task, task } from '../../src/api/task.js'
import { buildGraph } from '../../src/plan/graph.js'
import { plan } from '../../src/plan/plan.js'
import type { RunEvent } from '../../src/run/events.js'
import type { Gate, OutputChunk } from '../../src/run/gate.js'
import type { Processes } from '../../src/run/processes.js'
import { Runner, type RunnerOptions } from '../../src/run/runner.js'
import { FakeClock, settle } from '../helpers/fake-clock.js'

/** A task whose end the test decides. */
function controlled(name: string, log: string[]) {
  let finish: (error?: Error) => void = () => {}
  let signal: AbortSignal | undefined
  const t = task({
    name,
    run: (context) =>
      new Promise<void>((resolve, reject) => {
        log.push(`start ${name}`)
        signal = context.signal
        finish = (error) => (error ? reject(error) : resolve())
      }),
  })
  return { task: t, finish: (error?: Error) => finish(error), aborted: () => signal?.aborted === true }
}

function fakeProcesses() {
  const calls: string[] = []
  const processes: Processes = {
    spawnFor: () =>
      (() => {
        throw new Error('unit tests start no commands')
      }) as never,
    stop: async (signal, _grace, owner) => {
      calls.push(`stop ${signal}${owner ? ` ${owner}` : ''}`)
    },
    kill: () => {
      calls.push('kill')
    },
    leftRunning: async () => [],
    close: async () => {},
    pauseOutput: () => {},
    resumeOutput: () => {},
  }
  return { processes, calls }
}

function setup(exports: Record<string, Task>, target: string, options: Partial<RunnerOptions> = {}) {
  const clock = new FakeClock()
  const { processes, calls } = fakeProcesses()
  const events: RunEvent[] = []
  const runner = new Runner({
    jobs: 4,
    keepGoing: false,
    trace: false,
    args: [],
    root: '/',
    env: {},
    emit: (event) => events.push(event),
    clock,
    processes,
    ...options,
  })
  const result = runner.run(plan(buildGraph(exports), target))
  return { runner, result, clock, calls, events }
}

describe('the runner', () => {
  it('runs deps in the order written, each task once', async () => {
    const log: string[] = []
    const step = (name: string) => task({ name, run: () => void log.push(name) })
    const a = step('a')
    const b = task({ name: 'b', deps: [a], run: () => void log.push('b') })
    const c = task({ name: 'c', deps: [a], run: () => void log.push('c') })
    const { result } = setup({ top: task({ deps: [b, c, a], run: () => void log.push('top') }) }, 'top')
    const { records, failures } = await result
    expect(log).toEqual(['a', 'b', 'c', 'top'])
    expect(failures).toEqual([])
    expect(records.map((r) => [r.name, r.status])).toEqual([
      ['a', 'ok'],
      ['b', 'ok'],
      ['c', 'ok'],
      ['top', 'ok'],
    ])
  })

  it('runs parallel members together, at most `jobs` at once', async () => {
    const log: string[] = []
    const [x, y, z] = ['x', 'y', 'z'].map((n) => controlled(n, log))
    const { result } = setup({ all: task({ deps: [parallel(x!.task, y!.task, z!.task)] }) }, 'all', { jobs: 2 })
    await settle()
    expect(log).toEqual(['start x', 'start y'])
    x!.finish()
    await settle()
    expect(log).toEqual(['start x', 'start y', 'start z'])
    y!.finish()
    z!.finish()
    expect((await result).failures).toEqual([])
  })

  it('stops at the first failure: no new task starts, running ones are aborted and their commands stopped', async () => {
    const log: string[] = []
    const slow = controlled('slow', log)
    const bad = controlled('bad', log)
    const after = task({ name: 'after', run: () => void log.push('after ran') })
    const { result, calls } = setup({ top: task({ deps: [parallel(slow.task, bad.task), after] }) }, 'top')
    await settle()
    bad.finish(new Error('broken'))
    await settle()
    expect(slow.aborted()).toBe(true)
    expect(calls).toEqual(['stop SIGTERM'])
    slow.finish(new Error('aborted'))
    const { records, failures } = await result
    expect(failures.map((f) => f.task)).toEqual(['bad'])
    expect(Object.fromEntries(records.map((r) => [r.name, r.status]))).toMatchObject({
      slow: 'cancelled',
      bad: 'failed',
      after: 'skipped',
      top: 'skipped',
    })
    expect(log).not.toContain('after ran')
  })

  it('with keepGoing lets independent tasks finish and reports every failure', async () => {
    const bad1 = task({ name: 'bad1', run: () => Promise.reject(new Error('one')) })
    const bad2 = task({ name: 'bad2', run: () => Promise.reject(new Error('two')) })
    const good = task({ name: 'good', run: () => {} })
    const dependent = task({ name: 'dependent', deps: [bad1], run: () => {} })
    const { result } = setup({ top: task({ deps: [parallel(bad1, good, bad2, dependent)] }) }, 'top', { keepGoing: true })
    const { records, failures } = await result
    expect(failures.map((f) => f.task).sort()).toEqual(['bad1', 'bad2'])
    expect(Object.fromEntries(records.map((r) => [r.name, r.status]))).toMatchObject({ good: 'ok', dependent: 'skipped' })
  })

  it('fails a task at its timeout and stops its commands', async () => {
    const log: string[] = []
    const hang = task({ name: 'hang', timeout: '2s', run: () => new Promise(() => log.push('started')) })
    const { result, clock, calls } = setup({ hang }, 'hang')
    await settle()
    clock.advance(1999)
    await settle()
    expect(calls).toEqual([])
    clock.advance(1)
    const { records, failures } = await result
    expect(failures).toMatchObject([{ task: 'hang', failure: { kind: 'timeout', limit: 2000 } }])
    expect(records[0]).toMatchObject({ status: 'failed', exitCode: 124, duration: 2000 })
    expect(calls).toContain('stop SIGTERM hang')
  })

  it('on a signal stops everything and says so; a second signal kills at once', async () => {
    const log: string[] = []
    const stuck = task({ name: 'stuck', run: () => new Promise(() => log.push('started')) })
    const { runner, result, clock, calls } = setup({ stuck }, 'stuck')
    await settle()
    runner.interrupt('SIGINT')
    runner.interrupt('SIGINT')
    expect(calls).toEqual(['stop SIGINT', 'kill'])
    clock.advance(1000)
    const { signal, records } = await result
    expect(signal).toBe('SIGINT')
    expect(records[0]!.status).toBe('cancelled')
  })

  it('runs a chain of 10,000 tasks (no recursion as deep as the chain)', async () => {
    let count = 0
    let previous = task({ name: 't0', run: () => void count++ })
    const exports: Record<string, Task> = { t0: previous }
    for (let i = 1; i < 10_000; i++) {
      previous = task({ name: `t${i}`, deps: [previous], run: () => void count++ })
      exports[`t${i}`] = previous
    }
    const { result } = setup(exports, 't9999', { jobs: 1 })
    const { failures, records } = await result
    expect(failures).toEqual([])
    expect(count).toBe(10_000)
    expect(records.every((r) => r.status === 'ok')).toBe(true)
  })

  it('asks the gate: a skipped task does not run and its output is replayed; a run is recorded and finished', async () => {
    const ran: string[] = []
    const finished: Array<{ task: string; ok: boolean; output: readonly OutputChunk[] }> = []
    const cached = task({ name: 'cached', run: () => void ran.push('cached') })
    const fresh = task({ name: 'fresh', run: () => void ran.push('fresh') })
    const broken = task({ name: 'broken', run: () => Promise.reject(new Error('no')) })
    const gate: Gate = {
      open: async (node) =>
        node.name === 'cached'
          ? { action: 'skip', status: 'up-to-date', output: [{ stream: 'stdout', data: Buffer.from('from before\n') }] }
          : {
              action: 'run',
              record: true,
              finish: async (r) => {
                finished.push({ task: node.name, ...r })
              },
            },
    }
    let runner: Runner | undefined
    const printing = task({
      name: 'printing',
      run: () => runner!.output('printing', 'stdout', 'hello\n'),
    })
    const s = setup({ top: task({ deps: [cached, fresh, printing] }), broken }, 'top', { gate })
    runner = s.runner
    const { records } = await s.result
    expect(ran).toEqual(['fresh'])
    expect(records.find((r) => r.name === 'cached')!.status).toBe('up-to-date')
    expect(s.events).toContainEqual({ kind: 'output', task: 'cached', stream: 'stdout', data: Buffer.from('from before\n') })
    expect(finished.map((f) => [f.task, f.ok])).toEqual([
      ['fresh', true],
      ['printing', true],
      ['top', true],
    ])
    expect(Buffer.from(finished[1]!.output[0]!.data).toString()).toBe('hello\n')
    const failing = setup({ broken }, 'broken', { gate })
    await failing.result
    expect(finished.at(-1)).toMatchObject({ task: 'broken', ok: false })
  })

  it('tells the gate that a task which ended well while the run was stopping did not succeed', async () => {
    const finished: Array<{ task: string; ok: boolean }> = []
    const gate: Gate = {
      open: async (node) => ({ action: 'run', record: false, finish: async (r) => void finished.push({ task: node.name, ok: r.ok }) }),
    }
    const log: string[] = []
    const quiet = controlled('quiet', log) // a command that exits 0 when it is stopped
    const bad = controlled('bad', log)
    const s = setup({ top: task({ deps: [parallel(quiet.task, bad.task)] }) }, 'top', { gate })
    await settle()
    bad.finish(new Error('broken'))
    await settle()
    quiet.finish()
    await s.result
    expect(finished).toContainEqual({ task: 'quiet', ok: false })
  })
})
