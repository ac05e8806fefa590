#!/usr/bin/env node
// Up-to-date checks and restores through the built CLI, side by side in one
// hyperfine session per round (interleaved rounds, medians of all runs):
// `run noop`, a task with 1,000 and with 10,000 input files that is up to
// date, wireit's no-change check of the same 1,000 files, and a restore of
// 100 MB of outputs against `cp -r` of the same files. Then memory: the peak
// RSS (GNU time's "Maximum resident set size") of a run that uploads 500 MB
// of outputs to a real turborepo-remote-cache, and of a fresh clone's run
// that restores them from it. Writes bench/cache.md.
//
//   usage: node bench/cache.mjs [runs] [rounds]   (default 40 runs per command, in 10 rounds)
//   needs: hyperfine, /usr/bin/time (GNU), a built dist/ (npx run build); wireit is installed on
//          demand into ~/.cache/runts-bench/tools, as bench/startup.mjs does with its runners.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const runs = Number(process.argv[2] ?? 40)
const rounds = Number(process.argv[3] ?? 10)
const repo = fileURLToPath(new URL('..', import.meta.url))
const cli = path.join(repo, 'dist', 'cli.js')
const fail = (message) => {
  console.error(`bench/cache.mjs: ${message}`)
  process.exit(2)
}
if (!Number.isInteger(runs) || !Number.isInteger(rounds) || runs < rounds || rounds < 1) fail('usage: node bench/cache.mjs [runs] [rounds]')
if (!existsSync(cli)) fail('build first: npx run build')
if (spawnSync('sh', ['-c', 'command -v hyperfine']).status !== 0) fail('needs hyperfine (apt-get install hyperfine)')
if (spawnSync('/usr/bin/time', ['-v', 'true']).status !== 0) fail('needs GNU time as /usr/bin/time (apt-get install time)')

const tools = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'runts-bench', 'tools')
const wireit = path.join(tools, 'node_modules', 'wireit', 'bin', 'wireit.js')
if (!existsSync(wireit)) {
  mkdirSync(tools, { recursive: true })
  if (!existsSync(path.join(tools, 'package.json')))
    writeFileSync(path.join(tools, 'package.json'), '{"name":"runts-bench-tools","private":true}\n')
  console.error(`installing wireit into ${tools}`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'wireit'], { cwd: tools, stdio: 'inherit' })
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-cache-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
const old = new Date(Date.now() - 3600_000)
const loadBefore = os.loadavg()[0]

/** A project with `n` input files under src/ (in folders of 50), a no-op task and a checked task, and wireit's same check. */
function project(name, n) {
  const root = path.join(dir, name)
  for (let i = 0; i < n; i++) {
    const folder = path.join(root, 'src', `pkg${Math.floor(i / 500)}`, `mod${Math.floor(i / 50)}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(path.join(folder, `f${i}.py`), `value = ${i}\n`)
    utimesSync(path.join(folder, `f${i}.py`), old, old)
  }
  mkdirSync(path.join(root, 'node_modules'), { recursive: true })
  symlinkSync(repo, path.join(root, 'node_modules', 'runts'))
  writeFileSync(
    path.join(root, 'tasks.config.ts'),
    "import { task } from 'runts'\nexport const noop = task({ run: () => {} })\nexport const check = task({ inputs: ['src/**'], run: () => {} })\n",
  )
  const wireitConfig = { check: { command: 'true', files: ['src/**'], output: [] } }
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name, private: true, scripts: { check: 'wireit' }, wireit: wireitConfig }),
  )
  return root
}

/** 100 files of 1 MiB in two folders, made by `build`; `original/` keeps a copy for `cp -r`. */
function restoreProject() {
  const root = path.join(dir, 'restore')
  mkdirSync(path.join(root, 'src'), { recursive: true })
  mkdirSync(path.join(root, 'original', 'sub'), { recursive: true })
  mkdirSync(path.join(root, 'node_modules'))
  symlinkSync(repo, path.join(root, 'node_modules', 'runts'))
  writeFileSync(path.join(root, 'src', 'seed.txt'), 'seed\n')
  utimesSync(path.join(root, 'src', 'seed.txt'), old, old)
  for (let i = 0; i < 100; i++) writeFileSync(path.join(root, 'original', i % 2 ? 'sub' : '', `f${i}.bin`), randomBytes(1 << 20))
  writeFileSync(
    path.join(root, 'tasks.config.ts'),
    "import { task, $ } from 'runts'\nexport const build = task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => $`cp -r original dist` })\n",
  )
  return root
}

const node = process.execPath
const small = project('p1000', 1000)
const large = project('p10000', 10_000)
const restore = restoreProject()
// As npm would start it, without npm's own start-up: wireit reads these variables.
const wireitEnv = (root) => `env npm_config_user_agent=npm/10 npm_lifecycle_event=check npm_package_json=${root}/package.json`

/** Runs a command once in `cwd` and returns its stdout (it must succeed). */
const once = (command, cwd) => execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
/** `run --report` the task and return its status there. */
const status = (root, task) => {
  once(`${node} ${cli} --report ${dir}/status.json ${task} 2>&1`, root)
  return JSON.parse(readFileSync(`${dir}/status.json`, 'utf8')).tasks.at(-1).status
}
// First runs record (and write the state whose sizes and times the next checks trust); check each case is what it says.
for (const root of [small, large]) {
  status(root, 'check')
  status(root, 'check')
  if (status(root, 'check') !== 'up-to-date') fail(`the check in ${root} is not up to date`)
  once(`${wireitEnv(root)} ${node} ${wireit}`, root)
  const again = once(`${wireitEnv(root)} ${node} ${wireit} 2>&1`, root)
  if (!/skipped 1/.test(again)) fail(`wireit does not call ${root} fresh: ${again}`)
}
status(restore, 'build')
rmSync(path.join(restore, 'dist'), { recursive: true })
if (status(restore, 'build') !== 'restored') fail('the restore project did not restore')
if (status(restore, 'build') !== 'up-to-date') fail('the restore project is not up to date after a restore')

const commands = [
  ['run noop (1,000-file project)', `${node} ${cli} -f ${small}/tasks.config.ts noop`],
  ['run check, 1,000 inputs, up to date', `${node} ${cli} -f ${small}/tasks.config.ts check`],
  ['run check, 10,000 inputs, up to date', `${node} ${cli} -f ${large}/tasks.config.ts check`],
  ['wireit check, 1,000 inputs, fresh', `${wireitEnv(small)} ${node} ${wireit}`],
  ['run build, 100 MB outputs, up to date', `${node} ${cli} -f ${restore}/tasks.config.ts build`],
  ['run build, 100 MB outputs restored', `${node} ${cli} -f ${restore}/tasks.config.ts build`, `rm -rf ${restore}/dist`],
  ['cp -r of the same 100 MB', `cp -r ${restore}/original ${dir}/copy`, `rm -rf ${dir}/copy`],
]

const samples = new Map(commands.map(([name]) => [name, []]))
/** Mean CPU time (user + system) of each round: steadier than wall time on a machine others load. */
const cpu = new Map(commands.map(([name]) => [name, []]))
for (let round = 0; round < rounds; round++) {
  const out = path.join(dir, `round${round}.json`)
  const args = ['-N', '--warmup', '1', '--runs', String(Math.ceil(runs / rounds)), '--export-json', out, '--style', 'basic']
  for (const [name, command, prepare] of commands) args.push('--prepare', prepare ?? 'true', '-n', name, command)
  console.error(`round ${round + 1} of ${rounds}`)
  execFileSync('hyperfine', args, { stdio: ['ignore', 'ignore', 'inherit'] })
  for (const r of JSON.parse(readFileSync(out, 'utf8')).results) {
    samples.get(r.command).push(...r.times.map((t) => t * 1000))
    cpu.get(r.command).push((r.user + r.system) * 1000)
  }
}

// Memory: 500 MB of outputs (random bytes: gzip cannot shrink them) up to a real turborepo-remote-cache
// and down into a fresh clone. GNU time reports the peak RSS of the whole run.
const ARTIFACT_MB = 500
const memoryRuns = 3
/** Starts turborepo-remote-cache on a free port, its artifacts in `dir`, taking bodies of up to 1 GiB. */
async function startServer() {
  const net = await import('node:net')
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
  const token = `bench-${randomBytes(8).toString('hex')}`
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    TURBO_TOKEN: token,
    STORAGE_PROVIDER: 'local',
    STORAGE_PATH: path.join(dir, 'server'),
    STORAGE_PATH_USE_TMP_FOLDER: 'false',
    BODY_LIMIT: String(1024 * 1024 * 1024),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  }
  const child = spawn(node, [path.join(repo, 'node_modules', 'turborepo-remote-cache', 'dist', 'cli.js')], { env, stdio: 'ignore' })
  // It must not keep this script alive once the figures are written.
  child.unref()
  process.on('exit', () => child.kill('SIGKILL'))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${url}/v8/artifacts/status`).then(
      () => true,
      () => false,
    )
    if (up) return { url, token }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  fail('turborepo-remote-cache did not start')
}
/** A clone of a project whose `big` task writes ARTIFACT_MB of random bytes into out/. */
function bigClone(name) {
  const root = path.join(dir, name)
  mkdirSync(path.join(root, 'src'), { recursive: true })
  mkdirSync(path.join(root, 'node_modules'))
  symlinkSync(repo, path.join(root, 'node_modules', 'runts'))
  writeFileSync(path.join(root, 'src', 'seed.txt'), 'seed\n')
  writeFileSync(
    path.join(root, 'tasks.config.ts'),
    `import { task, $ } from 'runts'\nexport const big = task({ inputs: ['src/**'], outputs: ['out/**'], run: () => $\`mkdir -p out && head -c ${ARTIFACT_MB}M /dev/urandom > out/blob.bin\` })\n`,
  )
  return root
}
/** Runs `run big` under GNU time in `root`: its status in --report, and its peak RSS in MiB. */
function measured(root, env) {
  const r = spawnSync('/usr/bin/time', ['-v', node, cli, '--report', `${dir}/status.json`, 'big'], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  })
  if (r.status !== 0) fail(`run big failed in ${root}: ${r.stderr}`)
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1])
  const warnings = r.stderr.split('\n').filter((line) => line.startsWith('warning:'))
  return { status: JSON.parse(readFileSync(`${dir}/status.json`, 'utf8')).tasks.at(-1).status, mib: kb / 1024, warnings }
}
const server = await startServer()
const remoteEnv = { RUNTS_REMOTE_CACHE_URL: server.url, RUNTS_REMOTE_CACHE_TOKEN: server.token, RUNTS_REMOTE_CACHE_TEAM: 'bench' }
const uploads = []
const restores = []
for (let i = 0; i < memoryRuns; i++) {
  // Another seed each time: another key, so that each upload really sends.
  const source = bigClone(`upload${i}`)
  writeFileSync(path.join(source, 'src', 'seed.txt'), `seed ${i}\n`)
  const up = measured(source, remoteEnv)
  if (up.status !== 'ok' || up.warnings.length > 0) fail(`the upload run did not run cleanly: ${up.status} ${up.warnings.join(' ')}`)
  uploads.push(up.mib)
  rmSync(source, { recursive: true, force: true })
  const clone = bigClone(`clone${i}`)
  writeFileSync(path.join(clone, 'src', 'seed.txt'), `seed ${i}\n`)
  const down = measured(clone, remoteEnv)
  if (down.status !== 'restored' || down.warnings.length > 0) {
    fail(`the fresh clone did not restore from the shared cache: ${down.status} ${down.warnings.join(' ')}`)
  }
  restores.push(down.mib)
  rmSync(clone, { recursive: true, force: true })
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const ms = Object.fromEntries([...samples].map(([name, xs]) => [name, median(xs)]))
const cpuMs = Object.fromEntries([...cpu].map(([name, xs]) => [name, median(xs)]))
const [noop, check1k, check10k, wireit1k, upToDate, restored, copy] = commands.map(([name]) => ms[name])
const goals = [
  ['1,000 inputs up to date vs run noop', check1k / noop, 1.2],
  ['10,000 inputs up to date vs run noop', check10k / noop, 2],
  ['1,000 inputs up to date vs wireit fresh', check1k / wireit1k, 0.5],
  ['restore 100 MB (whole run) vs cp -r', restored / copy, 2],
  ['restore 100 MB (run less the same run up to date) vs cp -r', (restored - upToDate) / copy, 2],
]
const fmt = (v, d = 1) => v.toFixed(d)
const lines = [
  `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}; Node ${process.version}; load average at the start: ${loadBefore.toFixed(1)}.`,
  '',
  `Command: node bench/cache.mjs ${runs} ${rounds} (${runs} runs per command in ${rounds} interleaved hyperfine rounds, medians)`,
  '',
  '| command | median (ms) | vs run noop | CPU, user + system (ms) | CPU vs run noop |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...commands.map(
    ([name]) =>
      `| ${name} | ${fmt(ms[name])} | ${fmt(ms[name] / noop, 2)}x | ${fmt(cpuMs[name])} | ${fmt(cpuMs[name] / cpuMs[commands[0][0]], 2)}x |`,
  ),
  '',
  '| goal | measured | limit | met |',
  '| --- | ---: | ---: | --- |',
  ...goals.map(([name, v, limit]) => `| ${name} | ${fmt(v, 2)}x | ${limit}x | ${v <= limit ? 'yes' : 'NO'} |`),
  '',
  `Peak RSS of a whole run (GNU time), ${ARTIFACT_MB} MB of outputs through a real turborepo-remote-cache, medians of ${memoryRuns}:`,
  '',
  '| run | peak RSS (MiB) | each run (MiB) | limit | met |',
  '| --- | ---: | --- | ---: | --- |',
  `| runs the task and uploads ${ARTIFACT_MB} MB | ${fmt(median(uploads))} | ${uploads.map((v) => fmt(v)).join(', ')} | | |`,
  `| a fresh clone restores ${ARTIFACT_MB} MB from the shared cache | ${fmt(median(restores))} | ${restores.map((v) => fmt(v)).join(', ')} | 150 | ${median(restores) <= 150 ? 'yes' : 'NO'} |`,
]
writeFileSync(path.join(repo, 'bench', 'cache.md'), `${lines.join('\n')}\n`)
console.log(lines.join('\n'))
