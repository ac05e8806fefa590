import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { task } from '../../src/api/task.js'
import { parseArgs } from '../../src/cli/args.js'
import { buildGraph } from '../../src/plan/graph.js'
import { suggest } from '../../src/util/suggest.js'
import { makefile } from '../../src/views/makefile.js'

describe('parseArgs', () => {
  it('gives everything after the task name to the task, flags included', () => {
    const o = parseArgs(['-x', '--jobs', '2', 'test', '--watch', '-x', 'file.ts'], 4)
    expect(o).toMatchObject({ kind: 'run', run: { verbose: true, jobs: 2 }, task: 'test', args: ['--watch', '-x', 'file.ts'] })
  })

  it('reads repeatable and = forms, values as typed', () => {
    const o = parseArgs(['--env-file', 'a.env', '--env-file=b.env', '-f', '08', 'build'], 4)
    expect(o).toMatchObject({ kind: 'run', project: { envFile: ['a.env', 'b.env'], file: '08' }, task: 'build', run: { jobs: 4 } })
  })

  it('lets a task be named like a built-in command', () => {
    expect(parseArgs(['init'], 1)).toMatchObject({ kind: 'run', task: 'init' })
    expect(parseArgs(['--', '--list'], 1)).toMatchObject({ kind: 'run', task: '--list' })
  })

  it('gives one command per mode', () => {
    expect(parseArgs([], 1)).toMatchObject({ kind: 'list', json: false })
    expect(parseArgs(['--list', '--json'], 1)).toMatchObject({ kind: 'list', json: true })
    expect(parseArgs(['--json'], 1)).toMatchObject({ kind: 'list', json: true })
    expect(parseArgs(['-n', 'build'], 1)).toMatchObject({ kind: 'dry-run', task: 'build' })
    expect(parseArgs(['--env'], 1)).toMatchObject({ kind: 'env', task: undefined })
    expect(parseArgs(['--makefile'], 1)).toMatchObject({ kind: 'makefile' })
    expect(parseArgs(['--init', '--template', 'npm'], 1)).toMatchObject({ kind: 'init', template: 'npm' })
    expect(parseArgs(['--help', 'build'], 1)).toMatchObject({ kind: 'help' })
    expect(parseArgs(['-v'], 1)).toMatchObject({ kind: 'version' })
    expect(() => parseArgs(['--list', '--makefile'], 1)).toThrow(/--list and --makefile cannot be used together/)
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
    percent: task({ name: 'a%b' }),
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
    // Phony: a file of the task's name does not make make skip it, `%` included.
    writeFileSync(path.join(dir, 'a%b'), '')
    writeFileSync(path.join(dir, 'publish:test'), '')
    expect(dry('a%b')).toBe('RUN a%b')
    expect(dry('publish:test')).toBe('RUN publish:test')
    expect(dry('help')).toBe('RUN --list')
    expect(text).toContain('# "x=y" has a name make cannot take as a target: run it as: run x=y')
  })
})

describe('parseArgs, the forms people type', () => {
  it('expands -xn and -j2', () => {
    expect(parseArgs(['-xj2', 'build'], 4)).toMatchObject({ kind: 'run', run: { verbose: true, jobs: 2 }, task: 'build' })
    expect(parseArgs(['-xn', 'build'], 4)).toMatchObject({ kind: 'dry-run', task: 'build' })
    expect(parseArgs(['-kj', '3', 'build'], 4)).toMatchObject({ kind: 'run', run: { keepGoing: true, jobs: 3 } })
  })

  it('rejects a negative or missing --jobs', () => {
    expect(() => parseArgs(['-j', '-1', 'x'], 1)).toThrow(/not '-1'/)
    expect(() => parseArgs(['--jobs', '--list'], 1)).toThrow(/needs a value/)
  })

  it('tells --env from --env-file', () => {
    expect(parseArgs(['--env', 'deploy'], 1)).toMatchObject({ kind: 'env', project: { envFile: [] }, task: 'deploy' })
    expect(parseArgs(['--env-file', 'x.env', 'deploy'], 1)).toMatchObject({ kind: 'run', project: { envFile: ['x.env'] } })
  })

  it('refuses flags that would be ignored', () => {
    expect(() => parseArgs(['--list', 'hello'], 1)).toThrow(/--list takes no task name/)
    expect(() => parseArgs(['--json', 'build'], 1)).toThrow(/--json goes with --list/)
    expect(() => parseArgs(['--output', 'fancy', 'x'], 1)).toThrow(/--output takes auto, prefixed, grouped/)
    expect(() => parseArgs(['--yes=1', 'x'], 1)).toThrow(/--yes takes no value/)
    expect(() => parseArgs(['-q', 'x'], 1)).toThrow(/unknown option '-q'/)
  })
})

describe('makefile, odd descriptions', () => {
  it('keeps a description that ends in a backslash or holds a CR to its comment line: the target stays a target', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-make-'))
    const graph = buildGraph({ a: task({ description: 'ends in \\' }), b: task({ description: 'one\r\ntwo\\\\' }) })
    writeFileSync(path.join(dir, 'Makefile'), makefile(graph, 'echo RUN'))
    expect(execFileSync('make', ['-s', '-C', dir, 'a'], { encoding: 'utf8' }).trim()).toBe('RUN a')
    expect(execFileSync('make', ['-s', '-C', dir, 'b'], { encoding: 'utf8' }).trim()).toBe('RUN b')
  })
})

describe('makefile, odd names', () => {
  it('lists a name with a newline or a quote in a comment, with a hint a shell reads back', () => {
    const text = makefile(buildGraph({ a: task({ name: 'x\ny' }), b: task({ name: "it's here" }) }), 'run')
    expect(text).toContain(`# "x\\ny" has a name make cannot take as a target: run it as: run $'x\\x0ay'`)
    expect(text).toContain(`run it as: run 'it'\\''s here'`)
    for (const line of text.split('\n'))
      expect(line === '' || line.startsWith('#') || /^[\w.:@+/%#$\\-]|^\t|^RUN|^\.|^help/.test(line)).toBe(true)
    expect(execFileSync('bash', ['-c', `printf %s ${"$'x\\x0ay'"}`], { encoding: 'utf8' })).toBe('x\ny')
  })
})

describe('runCommand, for generated files', () => {
  it("calls a workspace's run by a relative path, never an absolute one that holds only on this machine", async () => {
    const { mkdirSync, mkdtempSync, realpathSync, symlinkSync } = await import('node:fs')
    const { runCommand } = await import('../../src/views/self.js')
    const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-workspace-')))
    const pkg = path.join(root, 'packages', 'a')
    mkdirSync(pkg, { recursive: true })
    mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true })
    const cli = path.join(root, 'cli.js')
    writeFileSync(cli, '')
    symlinkSync(cli, path.join(root, 'node_modules', '.bin', 'run'))
    expect(runCommand(pkg, cli)).toBe('../../node_modules/.bin/run')
    expect(runCommand(root, cli)).toBe('node_modules/.bin/run')
  })

  it('calls the command that started runts from PyPI (RUNTS_COMMAND): the venv in the project by a relative path', async () => {
    const { runCommand } = await import('../../src/views/self.js')
    const wheelCli = '/p/.venv/lib/python3.12/site-packages/runts/node/dist/cli.js'
    expect(runCommand('/p', wheelCli, { command: '.venv/bin/run', cwd: '/p' })).toBe('.venv/bin/run')
    expect(runCommand('/p', wheelCli, { command: '/p/.venv/bin/runts', cwd: '/p/sub' })).toBe('.venv/bin/runts')
    expect(runCommand('/p', wheelCli, { command: '../.venv/bin/run', cwd: '/p/sub' })).toBe('.venv/bin/run')
    expect(runCommand('/p', wheelCli, { command: '/home/u/.local/bin/run', cwd: '/p' })).toBe('/home/u/.local/bin/run')
    expect(runCommand('/p', wheelCli, { command: '/p/.venv/bin/python -m runts', cwd: '/p' })).toBe('.venv/bin/python -m runts')
    // Inherited by an npm-installed runts (a task calling it): not its own.
    expect(runCommand('/p', '/p/node_modules/runts/dist/cli.js', { command: '.venv/bin/run', cwd: '/p' })).toBe(
      'node node_modules/runts/dist/cli.js',
    )
  })
})
