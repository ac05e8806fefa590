import { renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { type TaskOptions, task } from '../../src/api/task.js'
import { FilesAhead } from '../../src/cache/ahead.js'
import { fingerprint } from '../../src/cache/fingerprint/fingerprint.js'
import { hashOf } from '../../src/cache/fingerprint/hash.js'
import { fileList } from '../../src/cache/fingerprint/input-table.js'
import { SecretKeys } from '../../src/cache/fingerprint/secret-keys.js'
import { changedSince } from '../../src/cache/fingerprint/stat-inputs.js'
import { STATE_FORMAT, TaskStates } from '../../src/cache/fingerprint/task-state.js'
import { inputSetOf } from '../../src/cache/inputs/task-sets.js'
import { isSecretName } from '../../src/env/secrets.js'
import { buildGraph, type TaskNode } from '../../src/plan/graph.js'
import { Tree } from '../helpers/tree.js'

const trees: Tree[] = []
afterEach(() => {
  for (const t of trees.splice(0)) t.remove()
})

/** A clock a minute ahead: what was written before the test started is old enough to trust. */
const later = () => Date.now() + 60_000

function setup(
  files: Record<string, string> = { 'src/app.py': 'print(1)\n', 'src/util.py': 'x = 1\n', 'pyproject.toml': '[project]\n' },
  signatureKey?: string,
) {
  const t = new Tree(files)
  trees.push(t)
  const states = new TaskStates(t.path('node_modules/.cache/runts/tasks'))
  const secretKeys = new SecretKeys({ signatureKey, salt: () => states.salt(), isSecret: isSecretName, secretValues: [] })
  const node = (options: TaskOptions = {}): TaskNode =>
    buildGraph({ build: task({ inputs: ['src/**', 'pyproject.toml'], run: () => {}, ...options }) }).byName.get('build')!
  const take = (
    n: TaskNode,
    args: string[] = [],
    env: Record<string, string | undefined> = {},
    previous = states.read('build'),
    ahead?: FilesAhead,
    now = Date.now,
  ) => fingerprint(n, args, inputSetOf(n), { root: t.dir, env, digest: (...f) => states.digest(...f), secretKeys, now }, previous, ahead)
  return { t, states, node, take }
}

describe('task({ inputs, outputs })', () => {
  it('takes arrays of globs, and outputs only inside the project', () => {
    expect(task({ inputs: ['src/**', '!src/gen/**'], outputs: ['dist/**'] }).inputs).toEqual(['src/**', '!src/gen/**'])
    expect(() => task({ inputs: 'src/**' as unknown as string[] })).toThrow(/array of glob patterns/)
    expect(() => task({ outputs: [''] })).toThrow(/array of glob patterns/)
    expect(() => task({ outputs: ['../shared/dist/**'] })).toThrow(/inside the project/)
    expect(() => task({ outputs: ['/tmp/out'] })).toThrow(/inside the project/)
  })
})

describe('fingerprint', () => {
  it('takes the files deps restore first as they will be, for run --why: the key the run will find', () => {
    const { t, states, node, take } = setup()
    const restored = (files: Record<string, string>) => {
      const ahead = new FilesAhead()
      const outputs = Object.entries(files).map(([file, text]) => ({ file, size: text.length, hash: hashOf(text) }))
      ahead.restore('gen', outputs)
      return ahead
    }
    const n = node({ inputs: ['src/**', 'pyproject.toml', '!src/skip/**'] })
    const ahead = restored({ 'src/app.py': 'print(3)\n', 'src/gen/new.py': 'y = 2\n', 'src/skip/x.py': '', 'other/z.py': '' })
    // The last run's state, whose one hash of the inputs must not stand for the files laid over them.
    const before = take(n)
    states.write({ format: STATE_FORMAT, task: 'build', ...before, outputs: [], outputsTaken: 0 })
    const predicted = take(n, [], {}, states.read('build'), ahead)
    expect(fileList(predicted.inputs)).toEqual(['pyproject.toml', 'src/app.py', 'src/gen/new.py', 'src/util.py'])
    expect(predicted.key).not.toBe(before.key)
    t.write({ 'src/app.py': 'print(3)\n', 'src/gen/new.py': 'y = 2\n', 'src/skip/x.py': '', 'other/z.py': '' })
    expect(take(n).key).toBe(predicted.key)
  })

  it('is decided by content, not by modification time', () => {
    const { t, node, take } = setup()
    const first = take(node())
    t.write({ 'src/app.py': 'print(1)\n' }) // rewritten, same bytes: a new mtime
    expect(take(node()).key).toBe(first.key)
    t.write({ 'src/app.py': 'print(2)\n' })
    expect(take(node()).key).not.toBe(first.key)
  })

  it('trusts an unchanged stat, old enough, without reading, and reads a changed one', () => {
    const { t, states, node, take } = setup()
    const first = take(node(), [], {}, undefined, undefined, later)
    expect(first.read).toBe(3)
    states.write({ format: STATE_FORMAT, task: 'build', ...first, outputs: [], outputsTaken: 0 })
    const again = take(node())
    expect(again.read).toBe(0)
    expect(again.key).toBe(first.key)
    // Files added or gone change it, though nothing is read.
    t.write({ 'src/more.py': '' })
    expect(take(node()).key).not.toBe(first.key)
    rmSync(t.path('src/more.py'))
    expect(take(node())).toMatchObject({ key: first.key, read: 0 })
    rmSync(t.path('src/util.py'))
    expect(fileList(take(node()).inputs)).toEqual(['pyproject.toml', 'src/app.py'])
    expect(take(node()).read).toBe(0)
    expect(take(node()).key).not.toBe(first.key)
    t.write({ 'src/app.py': 'print(9)\n' })
    const changed = take(node())
    expect(changed.read).toBe(1)
    expect(changed.key).not.toBe(first.key)
  })

  it('reads a file whose content changed under a pinned size and mtime (touch -d, cp -p, tar -x)', () => {
    const { t, states, node, take } = setup()
    // A build that pins times (SOURCE_DATE_EPOCH): whole seconds.
    const mtime = new Date('2020-01-01T00:00:00Z')
    utimesSync(t.path('src/app.py'), mtime, mtime)
    const first = take(node(), [], {}, undefined, undefined, later)
    states.write({ format: STATE_FORMAT, task: 'build', ...first, outputs: [], outputsTaken: 0 })
    // Same size, mtime set back: only the change time (and, replaced, the inode) tells.
    writeFileSync(t.path('src/app.py'), 'print(2)\n')
    utimesSync(t.path('src/app.py'), mtime, mtime)
    expect(statSync(t.path('src/app.py')).mtimeMs).toBe(first.inputs.mtimes[fileList(first.inputs).indexOf('src/app.py')])
    const edited = take(node())
    expect(edited.read).toBe(1)
    expect(edited.key).not.toBe(first.key)
    // Replaced by another file (cp -p: a new inode) with the first content, size and time: the same key again.
    writeFileSync(t.path('src/app.tmp'), 'print(1)\n')
    utimesSync(t.path('src/app.tmp'), mtime, mtime)
    renameSync(t.path('src/app.tmp'), t.path('src/app.py'))
    expect(take(node())).toMatchObject({ key: first.key, read: 1 })
  })

  it('tells an input that changed while its task ran, without reading what did not', () => {
    const { t, node, take } = setup()
    const before = take(node(), [], {}, undefined, undefined, later)
    const set = inputSetOf(node())
    expect(changedSince(t.dir, set, before.inputs, before.taken)).toBeUndefined()
    t.write({ 'src/util.py': 'x = 1\n' }) // rewritten, same content
    expect(changedSince(t.dir, set, before.inputs, before.taken)).toBeUndefined()
    t.write({ 'src/util.py': 'x = 2\n' })
    expect(changedSince(t.dir, set, before.inputs, before.taken)).toBe('src/util.py')
    t.write({ 'src/util.py': 'x = 1\n', 'src/new.py': '' })
    expect(changedSince(t.dir, set, before.inputs, before.taken)).toBe('src/new.py')
    rmSync(t.path('src/new.py'))
    rmSync(t.path('pyproject.toml'))
    expect(changedSince(t.dir, set, before.inputs, before.taken)).toBe('pyproject.toml')
  })

  it('changes with the values of the env variables, the args and the definition', () => {
    const { node, take } = setup()
    const base = take(node({ env: ['PYTHON'] }), [], { PYTHON: 'python3.12' }).key
    expect(take(node({ env: ['PYTHON'] }), [], { PYTHON: 'python3.12', OTHER: 'x' }).key).toBe(base)
    expect(take(node({ env: ['PYTHON'] }), [], { PYTHON: 'python3.13' }).key).not.toBe(base)
    expect(take(node({ env: ['PYTHON'] }), [], {}).key).not.toBe(base)
    expect(take(node({ env: ['PYTHON'] }), ['--fast'], { PYTHON: 'python3.12' }).key).not.toBe(base)
    expect(take(node({ env: ['PYTHON'], run: () => 'other' }), [], { PYTHON: 'python3.12' }).key).not.toBe(base)
    expect(take(node({ env: ['PYTHON'], outputs: ['dist/**'] }), [], { PYTHON: 'python3.12' }).key).not.toBe(base)
    expect(take(node({ env: ['PYTHON'], timeout: '5m' }), [], { PYTHON: 'python3.12' }).key).not.toBe(base)
  })

  it('changes with the values of optional variables, their defaults standing in when unset or empty', () => {
    const { node, take } = setup()
    const optional = node({ optional: { MODE: 'fast' } })
    const base = take(optional, [], {}).key
    expect(take(optional, [], { MODE: 'fast' }).key).toBe(base)
    expect(take(optional, [], { MODE: '' }).key).toBe(base)
    expect(take(optional, [], { MODE: 'slow' }).key).not.toBe(base)
    expect(take(node({ optional: { MODE: 'slow' } }), [], {}).key).not.toBe(base)
    expect(take(node({ optional: { MODE: undefined } }), [], { MODE: 'x' }).key).not.toBe(take(node({ optional: { MODE: undefined } })).key)
  })

  it('is the same for the same task in another folder (a fresh clone)', () => {
    const a = setup()
    const b = setup()
    expect(a.take(a.node()).key).toBe(b.take(b.node()).key)
  })

  it('leaves out excluded files, outputs, .git/ and node_modules/', () => {
    const { t, node, take } = setup()
    const base = take(node({ inputs: ['**', '!**/*.log'], outputs: ['dist/**'] }))
    t.write({ 'build.log': 'x', 'dist/app.whl': 'x', '.git/index': 'x', 'node_modules/x/y.js': 'x' })
    const after = take(node({ inputs: ['**', '!**/*.log'], outputs: ['dist/**'] }))
    expect(after.key).toBe(base.key)
    expect(fileList(after.inputs)).toEqual(['pyproject.toml', 'src/app.py', 'src/util.py'])
    writeFileSync(t.path('src/new.py'), '')
    expect(take(node({ inputs: ['**', '!**/*.log'], outputs: ['dist/**'] })).key).not.toBe(base.key)
  })

  it("keys secret values by HMAC: under this cache's salt without a signing key, under the key with one", () => {
    const files = { 'src/app.py': '' }
    const env = { API_TOKEN: 'tok-secret-value', PYTHON: '3.12' }
    const n = (s: ReturnType<typeof setup>) => s.node({ env: ['API_TOKEN', 'PYTHON'] })
    const [a, b] = [setup(files), setup(files)]
    const [ka, kb] = [a.take(n(a), [], env), b.take(n(b), [], env)]
    expect(ka.secrets).toEqual(['API_TOKEN'])
    // Two clones with their own salts: a token holder's guess gives another key, right or not.
    expect(ka.key).not.toBe(kb.key)
    const [c, d] = [setup(files, 'team-signing-key'), setup(files, 'team-signing-key')]
    expect(c.take(n(c), [], env).key).toBe(d.take(n(d), [], env).key)
    expect(setup(files, 'another-key').take(n(c), [], env).key).not.toBe(c.take(n(c), [], env).key)
    // A variable that is not secret is in the key as it is: the same everywhere.
    const plain = (s: ReturnType<typeof setup>) => s.take(s.node({ env: ['PYTHON'] }), [], env)
    expect(plain(a).key).toBe(plain(b).key)
    expect(plain(a).secrets).toEqual([])
  })

  it('keeps no value of a variable or an arg in what it records', () => {
    const { node, take } = setup()
    const fp = take(node({ env: ['API_TOKEN'] }), ['--password=hunter22'], { API_TOKEN: 'tok-secret-value' })
    const text = JSON.stringify(fp)
    expect(text).not.toContain('tok-secret-value')
    expect(text).not.toContain('hunter22')
    expect(Object.keys(fp.env)).toEqual(['API_TOKEN'])
  })
})
