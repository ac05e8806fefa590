/**
 * The shared cache as a way in (issue 20), end to end against the real
 * turborepo-remote-cache: artifacts made by hand and uploaded over the
 * Turborepo API with the team's token (signed when a signing key is in play,
 * which the attacker may hold). Whatever they hold, a restore writes only
 * files the task's outputs name, inside the project, never under .git/; an
 * artifact with anything else is refused whole, with a warning naming it,
 * and the task runs. Sizes are bounded both ways; a stalling server is given
 * up on; a secret cannot be confirmed by a token holder; kill -9 and two runs
 * at once leave nothing half-done.
 */
import { type ChildProcess, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { craftArtifact, entryMeta, type Member, uploadArtifact } from '../helpers/artifact.js'
import { CACHE_DIR, CachedProject } from '../helpers/cached-project.js'
import { LiveCli } from '../helpers/live.js'
import { until } from '../helpers/processes.js'
import { type CacheServer, startCacheServer } from '../helpers/remote-cache-server.js'

const TASKS = `
import { task, $, env } from 'runts'
export const build = task({
  inputs: ['src/**'],
  outputs: ['dist/**'],
  run: () => $\`echo build >> runs.log; mkdir -p dist && cat src/app.py > dist/app.txt\`,
})
export const big = task({
  inputs: ['src/**'],
  outputs: ['out/**'],
  run: () => $\`echo big >> runs.log; mkdir -p out && head -c \${process.env.BIG_BYTES ?? 1000} /dev/urandom > out/blob.bin\`,
})
export const bundle = task({
  inputs: ['src/**', '.env'],
  outputs: ['dist/**'],
  run: () => $\`echo bundle >> runs.log; mkdir -p dist && echo bundled > dist/bundle.txt\`,
})
export const deploy = task({
  env: ['APP_TOKEN'],
  inputs: ['src/**'],
  outputs: ['dist/**'],
  run: () => $\`echo deploy >> runs.log; mkdir -p dist && echo deployed > dist/deploy.txt\`,
})
export const slow = task({
  inputs: ['src/**'],
  outputs: ['out2/**'],
  run: () => $\`echo slow >> runs.log; mkdir -p out2 && cat src/app.py > out2/app.txt; while [ ! -e gate ]; do sleep 0.02; done\`,
})
export const migrate = task({
  env: ['DATABASE_URL'],
  inputs: ['src/**'],
  outputs: ['dist/**'],
  run: () => $\`echo migrate >> runs.log; mkdir -p dist && echo migrated > dist/migrate.txt\`,
})
`
const FILES = { 'tasks.config.ts': TASKS, 'src/app.py': 'print("app")\n', 'src/a.txt': 'original source\n' }

let plain: CacheServer
let signing: CacheServer
beforeAll(async () => {
  ;[plain, signing] = await Promise.all([startCacheServer({ bodyLimit: 200 * 1024 * 1024 }), startCacheServer({ signatures: true })])
})
afterAll(async () => {
  await Promise.all([plain?.stop(), signing?.stop()])
})
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const clean of cleanups.splice(0)) await clean()
})

let teams = 0
/** A team of its own for each test: its artifacts apart from the others'. */
function newTeam(): string {
  return `team_hostile${++teams}${process.pid}`
}

function settings(server: CacheServer, team: string, more: Record<string, string> = {}) {
  return { RUNTS_REMOTE_CACHE_URL: server.url, RUNTS_REMOTE_CACHE_TOKEN: server.token, RUNTS_REMOTE_CACHE_TEAM: team, ...more }
}

/** A fresh clone of the project (a git repository: .git/hooks is there), set up for the shared cache. */
function clone(env: Record<string, string>): CachedProject {
  const p = new CachedProject(FILES)
  p.env = env
  execFileSync('git', ['init', '-q'], { cwd: p.dir })
  cleanups.push(() => p.remove())
  return p
}

/** The artifacts of a team on the server (their keys). */
function keysOf(server: CacheServer, team: string): string[] {
  const dir = path.join(server.storage, team)
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.endsWith('.tag')) : []
}

/** The key of `task`'s artifact: one clone builds and uploads it, as the attacker can with their own clone. */
async function keyOf(server: CacheServer, team: string, env: Record<string, string>, task = 'build'): Promise<string> {
  const before = new Set(keysOf(server, team))
  const r = await clone(env).run([task])
  expect(r.code, r.stderr).toBe(0)
  const made = keysOf(server, team).filter((key) => !before.has(key))
  expect(made).toHaveLength(1)
  return made[0]!
}

/** A victim's run of `task` in a fresh clone: it must succeed, having run the task. */
async function victim(env: Record<string, string>, task = 'build') {
  const p = clone(env)
  const r = await p.run([task])
  expect(r.code, r.stderr).toBe(0)
  const warnings = r.stderr.split('\n').filter((line) => line.startsWith('warning:'))
  return { p, r, warnings }
}

/** Nothing written where it must not be: the hook, the source, outside the project. */
function untouched(p: CachedProject) {
  expect(existsSync(path.join(p.dir, '.git/hooks/pre-commit'))).toBe(false)
  expect(p.read('src/a.txt')).toBe('original source\n')
  expect(p.read('dist/app.txt')).toBe('print("app")\n')
}

const HOOK = '#!/bin/sh\necho owned > /tmp/runts-owned\n'

describe('a hostile artifact uploaded with the team token', () => {
  it('never writes .git/hooks or a source file: the artifact is refused whole, the file named, and the task runs', async () => {
    for (const [server, key] of [
      [plain, undefined],
      [signing, 'team-signing-key'],
    ] as const) {
      const team = newTeam()
      const env = settings(server, team, key ? { RUNTS_REMOTE_CACHE_SIGNATURE_KEY: key } : {})
      const hash = await keyOf(server, team, env)
      // Correct hashes, a valid description: only the paths are hostile.
      const files: Array<[string, string]> = [
        ['.git/hooks/pre-commit', HOOK],
        ['src/a.txt', 'overwritten\n'],
      ]
      const members: Member[] = [
        { path: 'meta.json', data: entryMeta(hash, 'build', files) },
        { path: 'output.log', data: '' },
        { path: 'outputs/.git/hooks/pre-commit', data: HOOK, mode: 0o755 },
        { path: 'outputs/src/a.txt', data: 'overwritten\n' },
      ]
      expect(await uploadArtifact(server, team, hash, await craftArtifact(members), key)).toBe(200)
      const { p, r, warnings } = await victim(env)
      expect(r.stderr).not.toMatch(/restored build/)
      expect(p.runs()).toBe(1)
      untouched(p)
      expect(warnings).toEqual([
        `warning: remote cache ${server.url} sent an artifact for build that was refused whole (it would write .git/hooks/pre-commit, under .git/); the task runs`,
      ])
      // A description naming a source file alone (no .git/): refused too, naming it.
      const only = files.slice(1)
      const sourceOnly: Member[] = [
        { path: 'meta.json', data: entryMeta(hash, 'build', only) },
        { path: 'output.log', data: '' },
        { path: 'outputs/dist/app.txt', data: 'print("app")\n' },
      ]
      expect(await uploadArtifact(server, team, hash, await craftArtifact(sourceOnly), key)).toBe(200)
      const second = await victim(env)
      untouched(second.p)
      expect(second.warnings[0]).toContain("refused whole (it would write src/a.txt, which the task's outputs (dist/**) do not name)")
    }
  })

  it('refuses archive entries that leave the folder, are links, devices or not outputs, whatever the description says', async () => {
    const team = newTeam()
    const env = settings(plain, team)
    const hash = await keyOf(plain, team, env)
    const outside = path.join(os.tmpdir(), `runts-hostile-${process.pid}-${Date.now()}`)
    cleanups.push(() => rmSync(outside, { force: true, recursive: true }))
    const good: Member[] = [
      { path: 'meta.json', data: entryMeta(hash, 'build', [['dist/app.txt', 'print("app")\n']]) },
      { path: 'output.log', data: '' },
      { path: 'outputs/dist/app.txt', data: 'print("app")\n' },
    ]
    const cases: Array<[Member, RegExp]> = [
      [{ path: 'outputs/../../evil.txt', data: 'x' }, /it would write \.\.\/\.\.\/evil\.txt, outside the project/],
      [{ path: 'outputs/dist/../../src/a.txt', data: 'x' }, /outside the project/],
      [{ path: outside, data: 'x' }, /which is not part of an entry/],
      [
        { path: 'outputs/dist/hooks', type: 'SymbolicLink', linkpath: '../../.git/hooks' },
        /it holds outputs\/dist\/hooks, a SymbolicLink, not a file/,
      ],
      [{ path: 'outputs/dist/passwd', type: 'Link', linkpath: '/etc/passwd' }, /a Link, not a file/],
      [{ path: 'outputs/.git/hooks/post-checkout', data: HOOK, mode: 0o4755 }, /under \.git\//],
      [{ path: 'outputs/src/a.txt', data: 'overwritten\n' }, /src\/a\.txt, which the task's outputs/],
    ]
    for (const [evil, refused] of cases) {
      // The hostile entry first and last: refused wherever it is.
      for (const members of [
        [evil, ...good],
        [...good, evil],
      ]) {
        expect(await uploadArtifact(plain, team, hash, await craftArtifact(members))).toBe(200)
        const { p, warnings } = await victim(env)
        untouched(p)
        expect(p.runs()).toBe(1)
        expect(existsSync(outside)).toBe(false)
        expect(existsSync(path.join(p.dir, '..', 'evil.txt'))).toBe(false)
        expect(warnings, JSON.stringify(evil.path)).toHaveLength(1)
        expect(warnings[0]).toMatch(/sent an artifact for build that was refused whole/)
        expect(warnings[0]).toMatch(refused)
      }
    }
    // The same artifact without the hostile entry restores: the refusals above were for it alone.
    expect(await uploadArtifact(plain, team, hash, await craftArtifact(good))).toBe(200)
    const { p, r, warnings } = await victim(env)
    expect([r.stderr.match(/restored build/)?.[0], p.runs(), warnings]).toEqual(['restored build', 0, []])
  }, 120_000)
})

describe('what an artifact holds beyond its description', () => {
  it('refuses a file its description does not list: the local store never holds bytes it does not count', async () => {
    const team = newTeam()
    const env = settings(plain, team)
    const hash = await keyOf(plain, team, env)
    // A valid entry, plus 64 MiB of zeros (about 64 KB packed) that the description leaves out.
    const members: Member[] = [
      { path: 'meta.json', data: entryMeta(hash, 'build', [['dist/app.txt', 'print("app")\n']]) },
      { path: 'output.log', data: '' },
      { path: 'outputs/dist/app.txt', data: 'print("app")\n' },
      { path: 'outputs/dist/unlisted.bin', zeros: 64 * 1024 * 1024 },
    ]
    expect(await uploadArtifact(plain, team, hash, await craftArtifact(members))).toBe(200)
    const { p, warnings } = await victim(env)
    untouched(p)
    expect(p.runs()).toBe(1)
    expect(warnings).toEqual([
      `warning: remote cache ${plain.url} sent an artifact for build that was refused whole (it holds dist/unlisted.bin, which its description does not list); the task runs`,
    ])
    const entries = path.join(p.dir, CACHE_DIR, 'tasks', 'entries')
    for (const key of readdirSync(entries)) expect(existsSync(path.join(entries, key, 'outputs/dist/unlisted.bin'))).toBe(false)
    // A folder that holds no listed file: refused too.
    const folder: Member[] = [...members.slice(0, 3), { path: 'outputs/dist/empty/', type: 'Directory' }]
    expect(await uploadArtifact(plain, team, hash, await craftArtifact(folder))).toBe(200)
    expect((await victim(env)).warnings[0]).toContain('refused whole (it holds dist/empty, which its description does not list)')
  }, 60_000)

  it('refuses a description whose times no restore can give back, so that run --why and the run agree', async () => {
    const team = newTeam()
    const env = settings(plain, team)
    const hash = await keyOf(plain, team, env)
    const meta = JSON.parse(entryMeta(hash, 'build', [['dist/app.txt', 'print("app")\n']]))
    meta.outputs[0].mtimeMs = 'yesterday'
    const members: Member[] = [
      { path: 'meta.json', data: JSON.stringify(meta) },
      { path: 'output.log', data: '' },
      { path: 'outputs/dist/app.txt', data: 'print("app")\n' },
    ]
    expect(await uploadArtifact(plain, team, hash, await craftArtifact(members))).toBe(200)
    const p = clone(env)
    const why = await p.run(['--why', 'build'])
    expect(why.stdout).toBe('build  runs: never ran\n')
    expect(why.stderr).toContain('refused whole (its description of dist/app.txt is damaged)')
    const r = await p.run(['build'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/could not restore/)
    expect(p.runs()).toBe(1)
  })
})

describe('sizes, both ways, and a server that stalls', () => {
  it('refuses a body over RUNTS_REMOTE_CACHE_MAX_MB and a gzip bomb, without holding them', async () => {
    const team = newTeam()
    const env = settings(plain, team, { RUNTS_REMOTE_CACHE_MAX_MB: '8' })
    const hash = await keyOf(plain, team, env)
    // 30 MB of garbage: refused by its announced length, before it is read.
    expect(await uploadArtifact(plain, team, hash, randomBytes(30 * 1024 * 1024))).toBe(200)
    const huge = await victim(env)
    untouched(huge.p)
    expect(huge.warnings).toEqual([
      `warning: remote cache ${plain.url} sent an artifact for build that was refused: it sent more than 8 MiB (RUNTS_REMOTE_CACHE_MAX_MB); the task runs`,
    ])
    // 200 MiB of zeros in about 200 KB: stopped at 8 MiB unpacked.
    const bomb: Member[] = [
      { path: 'meta.json', data: entryMeta(hash, 'build', [['dist/app.txt', 'print("app")\n']]) },
      { path: 'output.log', data: '' },
      { path: 'outputs/dist/zeros.bin', zeros: 200 * 1024 * 1024 },
    ]
    const body = await craftArtifact(bomb)
    expect(body.length).toBeLessThan(1024 * 1024)
    expect(await uploadArtifact(plain, team, hash, body)).toBe(200)
    const bombed = await victim(env)
    untouched(bombed.p)
    expect(bombed.warnings[0]).toContain('refused whole (it unpacks to more than 8 MiB (RUNTS_REMOTE_CACHE_MAX_MB))')
    const entries = path.join(bombed.p.dir, CACHE_DIR, 'tasks', 'entries')
    expect(readdirSync(entries).filter((name) => name.startsWith('.tmp-'))).toEqual([])
  }, 60_000)

  it('sends nothing over the limit, and says so', async () => {
    const team = newTeam()
    const p = clone(settings(plain, team, { RUNTS_REMOTE_CACHE_MAX_MB: '2', BIG_BYTES: String(6 * 1024 * 1024) }))
    const r = await p.run(['big'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(
      `warning: remote cache ${plain.url} was not sent big's outputs: its outputs pack to more than 2 MiB (RUNTS_REMOTE_CACHE_MAX_MB)`,
    )
    expect(keysOf(plain, team)).toEqual([])
  })

  it('gives up on a server that stalls in the middle of a body, in bounded time', async () => {
    const stalled: Array<() => void> = []
    const server: Server = createServer((req, res) => {
      if (req.method !== 'GET') return void res.writeHead(404).end()
      res.writeHead(200, { 'content-length': String(1024 * 1024) })
      res.write(Buffer.alloc(64 * 1024))
      stalled.push(() => res.destroy())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    cleanups.push(() => {
      for (const end of stalled) end()
    })
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const started = Date.now()
    const { p, warnings } = await victim({
      RUNTS_REMOTE_CACHE_URL: url,
      RUNTS_REMOTE_CACHE_TEAM: 'acme',
      RUNTS_REMOTE_CACHE_TIMEOUT: '0.5',
    })
    expect(Date.now() - started).toBeLessThan(8000)
    expect(stalled.length).toBeGreaterThan(0)
    expect(p.runs()).toBe(1)
    expect(warnings).toEqual([`warning: remote cache ${url} did not answer within 0.5 s; tasks run without it`])
  })
})

describe('secrets and the shared key', () => {
  it('never lets a token holder confirm a guessed secret: without a signing key, a task that reads one is not shared', async () => {
    const team = newTeam()
    const a = clone(settings(plain, team, { APP_TOKEN: 'the-real-password' }))
    const built = await a.run(['deploy'])
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toContain(
      'warning: deploy reads secrets (APP_TOKEN), so it is cached on this machine only, not in the remote cache: without RUNTS_REMOTE_CACHE_SIGNATURE_KEY',
    )
    expect(keysOf(plain, team)).toEqual([])
    // The attacker's clone, with the token and the right guess: nothing to confirm it.
    const guess = clone(settings(plain, team, { APP_TOKEN: 'the-real-password' }))
    expect(await guess.why(['deploy'])).toEqual(['deploy  runs: never ran'])
    // The owner's clone still has it, locally.
    expect(await a.why(['deploy'])).toEqual(['deploy  skips: up to date'])
  })

  it('counts a password inside a URL (DATABASE_URL) as a secret of the key, whatever the variable is called', async () => {
    const team = newTeam()
    const a = clone(settings(plain, team, { DATABASE_URL: 'postgres://app:the-real-password@db:5432/app' }))
    const built = await a.run(['migrate'])
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toContain('warning: migrate reads secrets (DATABASE_URL), so it is cached on this machine only')
    expect(keysOf(plain, team)).toEqual([])
    const guess = clone(settings(plain, team, { DATABASE_URL: 'postgres://app:the-real-password@db:5432/app' }))
    expect(await guess.why(['migrate'])).toEqual(['migrate  runs: never ran'])
  })

  it('shares it under a signing key, and a guess without that key confirms nothing', async () => {
    const team = newTeam()
    const keyed = settings(signing, team, { RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'team-signing-key', APP_TOKEN: 'the-real-password' })
    const built = await clone(keyed).run(['deploy'])
    expect([built.code, built.stderr.includes('warning')]).toEqual([0, false])
    expect(keysOf(signing, team)).toHaveLength(1)
    const teammate = clone(keyed)
    expect(await teammate.why(['deploy'])).toEqual(['deploy  skips: restores from cache'])
    for (const guessKey of [undefined, 'a-guessed-signing-key']) {
      const env: Record<string, string> = { ...keyed }
      if (guessKey) env.RUNTS_REMOTE_CACHE_SIGNATURE_KEY = guessKey
      else delete env.RUNTS_REMOTE_CACHE_SIGNATURE_KEY
      expect(await clone(env).why(['deploy'])).toEqual(['deploy  runs: never ran'])
    }
  })
})

describe('secrets in an env file among the inputs', () => {
  const DOT_ENV = { '.env': 'DB_PASSWORD=hunter22\n' }

  it('never lets a token holder confirm a guess of it: without a signing key, the task is not shared', async () => {
    const team = newTeam()
    const owner = clone(settings(plain, team)).write(DOT_ENV)
    const built = await owner.run(['bundle'])
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toContain('warning: bundle reads secrets (.env), so it is cached on this machine only, not in the remote cache')
    expect(keysOf(plain, team)).toEqual([])
    // The attacker's clone, the right guess in its .env: nothing to confirm it.
    const guess = clone(settings(plain, team)).write(DOT_ENV)
    expect(await guess.why(['bundle'])).toEqual(['bundle  runs: never ran'])
    expect(await owner.why(['bundle'])).toEqual(['bundle  skips: up to date'])
  })

  it('shares it under a signing key, and a right guess without that key confirms nothing', async () => {
    const team = newTeam()
    const keyed = settings(signing, team, { RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'team-signing-key' })
    const built = await clone(keyed).write(DOT_ENV).run(['bundle'])
    expect([built.code, built.stderr.includes('warning')]).toEqual([0, false])
    expect(keysOf(signing, team)).toHaveLength(1)
    expect(await clone(keyed).write(DOT_ENV).why(['bundle'])).toEqual(['bundle  skips: restores from cache'])
    expect(await clone(settings(signing, team)).write(DOT_ENV).why(['bundle'])).toEqual(['bundle  runs: never ran'])
  })
})

describe('run --why and the run agree', () => {
  it('with a signing key and a server that drops signatures: runs, both', async () => {
    const team = newTeam()
    const env = settings(plain, team, { RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'team-signing-key' })
    await keyOf(plain, team, env)
    const p = clone(env)
    const why = await p.run(['--why', 'build'])
    expect(why.stdout).toBe('build  runs: never ran\n')
    expect(why.stderr).toMatch(/it carries no signature, so it was not used/)
    const r = await p.run(['build'])
    expect(r.stderr).toMatch(/start build/)
    expect(p.runs()).toBe(1)
  })
})

describe('under stress', () => {
  it('kill -9 during a restore from the shared cache leaves nothing half-done: the next run restores whole', async () => {
    const team = newTeam()
    const env = settings(plain, team, { BIG_BYTES: String(120 * 1024 * 1024) })
    await keyOf(plain, team, env, 'big')
    const p = clone(env)
    const entries = path.join(p.dir, CACHE_DIR, 'tasks', 'entries')
    const temporary = () => (existsSync(entries) ? readdirSync(entries).filter((name) => name.startsWith('.tmp-')) : [])
    let child: ChildProcess | undefined
    const run = p.run(['big'], { onStart: (c) => (child = c) })
    await until(() => temporary().length > 0, 20_000, 'the download to start')
    child!.kill('SIGKILL')
    expect((await run).signal).toBe('SIGKILL')
    expect(temporary().length).toBeGreaterThan(0)
    const again = await p.run(['big'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/restored big/)
    expect(p.runs()).toBe(0)
    // What the killed run left is gone; the restored file is whole.
    expect(temporary()).toEqual([])
    expect(readdirSync(path.join(p.dir, 'out'))).toEqual(['blob.bin'])
    const [key] = readdirSync(entries)
    expect(readFileSync(path.join(p.dir, 'out/blob.bin')).equals(readFileSync(path.join(entries, key!, 'outputs/out/blob.bin')))).toBe(true)
  }, 120_000)

  it('kill -9 during a local restore: no half file, and the next restore removes the copy it left', async () => {
    const p = clone({ BIG_BYTES: String(200 * 1024 * 1024) })
    expect((await p.run(['big'])).code).toBe(0)
    const blob = readFileSync(path.join(p.dir, 'out/blob.bin'))
    rmSync(path.join(p.dir, 'out'), { recursive: true })
    const left = () => (existsSync(path.join(p.dir, 'out')) ? readdirSync(path.join(p.dir, 'out')) : [])
    let child: ChildProcess | undefined
    const run = p.run(['big'], { onStart: (c) => (child = c) })
    // The copy is made beside the output and renamed over it: killed while it is being made.
    const copying = () => left().some((name) => name.startsWith('.runts-tmp-'))
    await until(copying, 20_000, 'the restore to start copying')
    child!.kill('SIGKILL')
    await run
    expect(copying()).toBe(true)
    // Never a half file at the output's own name.
    expect(existsSync(path.join(p.dir, 'out/blob.bin'))).toBe(false)
    const again = await p.run(['big'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/restored big|up to date big/)
    expect(left()).toEqual(['blob.bin'])
    expect(readFileSync(path.join(p.dir, 'out/blob.bin')).equals(blob)).toBe(true)
    expect(p.runs()).toBe(1)
  }, 120_000)

  it('a second run of a task under way in the project waits for the first, then finds it up to date: it never ran twice', async () => {
    const p = clone({})
    const first = p.run(['slow'])
    await until(() => p.runs() === 1, 20_000, 'the first run to start slow')
    const second = new LiveCli(p.dir, ['slow'], p.env as Record<string, string>)
    await second.waitFor(/another run of runts in this project \(pid \d+\) is running slow: waiting for it to end/)
    expect(p.read('runs.log')).toBe('slow\n')
    writeFileSync(path.join(p.dir, 'gate'), '')
    expect((await first).code).toBe(0)
    expect(await second.exited).toEqual({ code: 0, signal: null })
    expect(second.output).toContain('› up to date slow')
    expect(p.read('runs.log')).toBe('slow\n')
    expect(p.entries()).toHaveLength(1)
  })

  it('takes over the lock of a run that was killed: nothing waits', async () => {
    const p = clone({})
    const first = new LiveCli(p.dir, ['slow'], p.env as Record<string, string>)
    await until(() => p.runs() === 1, 20_000, 'the first run to start slow')
    first.signal('SIGKILL')
    await first.exited
    writeFileSync(path.join(p.dir, 'gate'), '')
    const again = await p.run(['slow'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).not.toContain('waiting for it to end')
    expect(p.read('runs.log')).toBe('slow\nslow\n')
  })

  it('two runs at once on one project: both succeed, one whole entry, then up to date', async () => {
    const p = clone({})
    const both = await Promise.all([p.run(['build']), p.run(['build'])])
    for (const r of both) expect(r.code, r.stderr).toBe(0)
    expect(p.entries()).toHaveLength(1)
    expect((await p.run(['build'])).stderr).toMatch(/up to date build/)
    rmSync(path.join(p.dir, 'dist'), { recursive: true })
    const restores = await Promise.all([p.run(['build']), p.run(['build']), p.run(['build'])])
    for (const r of restores) {
      expect(r.code, r.stderr).toBe(0)
      // One restores; the others may have waited for it (and then found build up to date).
      expect(
        r.stderr.replace(/^warning: another run of runts in this project \(pid \d+\) is running build: waiting for it to end\n/m, ''),
      ).not.toMatch(/warning/)
    }
    expect(p.read('dist/app.txt')).toBe('print("app")\n')
    expect(readdirSync(path.join(p.dir, 'dist'))).toEqual(['app.txt'])
    writeFileSync(path.join(p.dir, 'src/app.py'), 'print("two")\n')
    const changed = await Promise.all([p.run(['build']), p.run(['build'])])
    for (const r of changed) expect(r.code, r.stderr).toBe(0)
    expect(p.read('dist/app.txt')).toBe('print("two")\n')
    expect(p.entries().filter((name) => name.startsWith('.tmp-'))).toEqual([])
  }, 60_000)
})
