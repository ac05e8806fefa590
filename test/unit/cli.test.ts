import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { task } from '../../src/api/task.js'
import { parseArgs } from '../../src/cli/args.js'
import { makefile } from '../../src/cli/makefile.js'
import { buildGraph } from '../../src/plan/graph.js'
import { suggest } from '../../src/plan/suggest.js'

describe('parseArgs', () => {
  it('gives everything after the task name to the task, flags included', () => {
    const o = parseArgs(['-x', '--jobs', '2', 'test', '--watch', '-x', 'file.ts'], 4)
    expect(o).toMatchObject({ verbose: true, jobs: 2, task: 'test', args: ['--watch', '-x', 'file.ts'] })
  })

  it('reads repeatable and = forms', () => {
    const o = parseArgs(['--env-file', 'a.env', '--env-file=b.env', '-f', 'x.ts', 'build'], 4)
    expect(o).toMatchObject({ envFile: ['a.env', 'b.env'], file: 'x.ts', task: 'build', jobs: 4 })
  })

  it('lets a task be named like a built-in command', () => {
    expect(parseArgs(['init'], 1).task).toBe('init')
    expect(parseArgs(['--', '--list'], 1).task).toBe('--list')
  })

  it('rejects unknown options with a suggestion, and bad --jobs', () => {
    expect(() => parseArgs(['--dryrun', 'x'], 1)).toThrow(/unknown option '--dryrun'/)
    expect(() => parseArgs(['--jobs', '0', 'x'], 1)).toThrow(/--jobs/)
    expect(() => parseArgs(['--jobs'], 1)).toThrow(/needs a value/)
  })
})

describe('suggest', () => {
  it('finds near names', () => {
    expect(suggest('biuld', ['build', 'clean', 'lint'])).toEqual(['build'])
    expect(suggest('publish', ['publish:test', 'publish:prod', 'lint'])).toEqual(['publish:prod', 'publish:test'])
    expect(suggest('zzzzzz', ['build'])).toEqual([])
    expect(suggest('s1', ['a', 'b', 'c'])).toEqual([])
  })
})

describe('makefile', () => {
  const graph = buildGraph({
    build: task({ description: 'Build it' }),
    publishTest: task({ name: 'publish:test' }),
    weird: task({ name: 'a$b' }),
    assign: task({ name: 'x=y' }),
  })
  const text = makefile(graph, 'node_modules/.bin/run')

  it('escapes colons in target names and calls the local run', () => {
    expect(text).toContain('publish\\:test:\n\t@$(RUN) publish:test $(ARGS)')
    expect(text).toContain('RUN ?= node_modules/.bin/run')
    expect(text).not.toContain('npx')
  })

  it('is read by GNU make as one phony target per task', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-make-'))
    writeFileSync(path.join(dir, 'Makefile'), makefile(graph, 'echo RUN'))
    const dry = (target: string) => execFileSync('make', ['-s', '-C', dir, target], { encoding: 'utf8' }).trim()
    expect(dry('publish:test')).toBe('RUN publish:test')
    expect(dry('a$b')).toBe('RUN a$b')
    expect(dry('help')).toBe('RUN --list')
    expect(text).toContain("# 'x=y' has a name make cannot take as a target")
  })
})

describe('parseArgs, the forms people type', () => {
  it('expands -xn and -j2', () => {
    expect(parseArgs(['-xn', '-j2', 'build'], 4)).toMatchObject({ verbose: true, dryRun: true, jobs: 2, task: 'build' })
  })

  it('rejects a negative or missing --jobs', () => {
    expect(() => parseArgs(['-j', '-1', 'x'], 1)).toThrow(/not '-1'/)
    expect(() => parseArgs(['--jobs', '--list'], 1)).toThrow(/needs a value/)
  })

  it('tells --env from --env-file', () => {
    expect(parseArgs(['--env', 'deploy'], 1)).toMatchObject({ env: true, envFile: [], task: 'deploy' })
    expect(parseArgs(['--env-file', 'x.env', 'deploy'], 1)).toMatchObject({ env: false, envFile: ['x.env'] })
  })

  it('refuses flags that would be ignored', () => {
    expect(() => parseArgs(['--list', 'hello'], 1)).toThrow(/--list takes no task name/)
    expect(() => parseArgs(['--json'], 1)).toThrow(/--json goes with --list/)
    expect(() => parseArgs(['--output', 'fancy', 'x'], 1)).toThrow(/--output takes auto, prefixed, grouped/)
  })
})
