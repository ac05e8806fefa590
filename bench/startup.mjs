#!/usr/bin/env node
// Start-up and scale of `run`, side by side with other task runners, in one
// hyperfine session (medians of many runs), plus a 10,000-task file and peak
// memory. Writes bench/startup.md (the tables) and bench/startup.svg (the chart).
//
//   usage: node bench/startup.mjs [runs]          (default 30 runs per command)
//   needs: hyperfine (apt-get install hyperfine), GNU make, /usr/bin/time, npm; the
//          other runners (hereby, zx, just from rust-just, mise from @jdxcode/mise)
//          are installed on demand into ~/.cache/runts-bench/tools.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const runs = Number(process.argv[2] ?? 30)
const repo = fileURLToPath(new URL('..', import.meta.url))
const cli = path.join(repo, 'dist', 'cli.js')
const fail = (message) => {
  console.error(`bench/startup.mjs: ${message}`)
  process.exit(2)
}
if (!Number.isInteger(runs) || runs < 3) fail('runs must be a whole number of at least 3')
if (!existsSync(cli)) fail('build first: npx run build')
for (const tool of ['hyperfine', 'make', 'bash']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) fail(`needs ${tool} (apt-get install ${tool})`)
}
if (!existsSync('/usr/bin/time')) fail('needs /usr/bin/time (apt-get install time)')

// --- the other runners -------------------------------------------------------
const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'runts-bench', 'tools')
const tool = (p) => path.join(cache, 'node_modules', p)
const wanted = {
  hereby: 'hereby/bin/hereby.js',
  zx: 'zx/build/cli.js',
  just: 'rust-just-linux-x64/bin/just',
  mise: '@jdxcode/mise/bin/mise',
}
if (Object.values(wanted).some((p) => !existsSync(tool(p)))) {
  mkdirSync(cache, { recursive: true })
  if (!existsSync(path.join(cache, 'package.json')))
    writeFileSync(path.join(cache, 'package.json'), '{"name":"runts-bench-tools","private":true}\n')
  console.error(`installing hereby, zx, rust-just, @jdxcode/mise into ${cache}`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'hereby', 'zx', 'rust-just', '@jdxcode/mise'], {
    cwd: cache,
    stdio: 'inherit',
  })
}
const have = Object.fromEntries(Object.entries(wanted).map(([k, p]) => [k, existsSync(tool(p))]))
for (const [k, ok] of Object.entries(have)) if (!ok) console.error(`warning: ${k} is not available; left out`)

// --- one project with the same no-op in every runner ----------------------------
const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-startup-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
const project = (name, files) => {
  const p = path.join(dir, name)
  mkdirSync(path.join(p, 'node_modules'), { recursive: true })
  symlinkSync(repo, path.join(p, 'node_modules', 'runts'))
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(p, file), text)
  return p
}
const main = project('main', {
  'tasks.config.ts': `import { task, $ } from 'runts'\nexport const noop = task({ description: 'nothing', run: () => {} })\nexport const truecmd = task({ name: 'true', run: () => $\`true\` })\n`,
  'Herebyfile.mjs': "import { task } from 'hereby'\nexport const noop = task({ name: 'noop', run: () => {} })\n",
  'zx-true.mjs': `import { $ } from '${tool('zx/build/index.js')}'\nawait $\`true\`\n`,
  'package.json': JSON.stringify({ name: 'bench', private: true, type: 'module', scripts: { noop: ':' } }),
  justfile: 'noop:\n\t@:\n',
  'mise.toml': '[tasks.noop]\nrun = ":"\n',
  Makefile: '.PHONY: noop\nnoop:\n\t@:\n',
  'run.sh': '#!/usr/bin/env bash\nset -euo pipefail\nnoop() { :; }\n"$@"\n',
})

// hereby insists on a project-local copy of itself.
if (have.hereby) symlinkSync(tool('hereby'), path.join(main, 'node_modules', 'hereby'))

const chain = (n) => {
  let text = "import { task } from 'runts'\nexport const t0 = task({ run: () => {} })\n"
  for (let i = 1; i < n; i++) text += `export const t${i} = task({ deps: [t${i - 1}], run: () => {} })\n`
  return text
}
const small = project('small', { 'tasks.config.ts': chain(10) })
const large = project('large', { 'tasks.config.ts': chain(10_000) })
const cold = project('cold', { 'tasks.config.ts': readFileSync(path.join(main, 'tasks.config.ts'), 'utf8') })

const miseEnv = `MISE_TRUSTED_CONFIG_PATHS=${main} MISE_YES=1 MISE_OFFLINE=1 MISE_DATA_DIR=${dir}/mise MISE_CACHE_DIR=${dir}/mise-cache MISE_STATE_DIR=${dir}/mise-state`
const node = process.execPath
const rows = [
  ['node -e 0', `${node} -e 0`],
  ['run --list', `${node} ${cli} --list`],
  ['run noop', `${node} ${cli} noop`],
  ['run true', `${node} ${cli} true`],
  ['run noop (cold cache)', `${node} ${cli} noop`, 'cold'],
  have.hereby && ['hereby noop', `${node} ${tool(wanted.hereby)} noop`],
  have.zx && ['zx script: $`true`', `${node} zx-true.mjs`],
  ['npm run noop', 'npm run --silent noop'],
  have.just && ['just noop', `${tool(wanted.just)} noop`],
  have.mise && ['mise run noop', `env ${miseEnv} ${tool(wanted.mise)} run -q noop`],
  ['make noop', 'make -s noop'],
  ['bash run.sh noop', 'bash run.sh noop'],
].filter(Boolean)

// Warm the compile cache and the file system once; check every command works.
for (const [name, command] of rows) {
  const r = spawnSync('sh', ['-c', command], { cwd: main, stdio: ['ignore', 'ignore', 'pipe'] })
  if (r.status !== 0) fail(`'${name}' failed: ${r.stderr}`)
}

function hyperfine(commands, cwd, out) {
  const args = ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, '--style', 'basic']
  for (const [name, command, kind] of commands) {
    args.push(
      '--prepare',
      kind === 'cold' ? `rm -rf ${cold}/node_modules/.cache/runts` : 'true',
      '-n',
      name,
      kind === 'cold' ? `sh -c 'cd ${cold} && ${command}'` : command,
    )
  }
  execFileSync('hyperfine', args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
  return JSON.parse(readFileSync(out, 'utf8')).results.map((r) => ({ name: r.command, median: r.median * 1000 }))
}

console.error(`start-up: ${rows.length} commands x ${runs} runs`)
const startup = hyperfine(rows, main, path.join(dir, 'startup.json'))
console.error('scale: 10 and 10,000 tasks')
const scale = [
  ...hyperfine(
    [
      ['list, 10 tasks', `${node} ${cli} --list`],
      ['dry run, 10 tasks', `${node} ${cli} --dry-run t9`],
    ],
    small,
    path.join(dir, 'small.json'),
  ),
  ...hyperfine(
    [
      ['list, 10,000 tasks', `${node} ${cli} --list`],
      ['dry run, 10,000 tasks', `${node} ${cli} --dry-run t9999`],
    ],
    large,
    path.join(dir, 'large.json'),
  ),
]

/** Peak resident memory in MiB, median of several runs, by /usr/bin/time. */
function peak(command, cwd) {
  const values = []
  for (let i = 0; i < 9; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'sh', '-c', `${command} >/dev/null 2>&1`], { cwd, encoding: 'utf8' })
    values.push(Number(r.stderr.trim().split('\n').at(-1)) / 1024)
  }
  return values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
}
const memory = [
  ['node -e 0', peak(`${node} -e 0`, main)],
  ['run --list', peak(`${node} ${cli} --list`, main)],
  ['run noop', peak(`${node} ${cli} noop`, main)],
  ['run --list, 10,000 tasks', peak(`${node} ${cli} --list`, large)],
]

// --- goals ---------------------------------------------------------------------
const ms = (name, from = startup) => from.find((r) => r.name === name)?.median
const base = ms('node -e 0')
const ratio = (a, b) => (a !== undefined && b !== undefined ? a / b : undefined)
const goals = [
  ['run --list, warm, vs node -e 0', ratio(ms('run --list'), base), 1.3],
  ['run noop, warm, vs node -e 0', ratio(ms('run noop'), base), 1.3],
  ['run noop vs hereby noop', ratio(ms('run noop'), ms('hereby noop')), 0.8],
  ['run true vs zx script running true', ratio(ms('run true'), ms('zx script: $`true`')), 0.8],
  ['cold run vs node -e 0', ratio(ms('run noop (cold cache)'), base), 2],
  ['list, 10,000 vs 10 tasks', ratio(ms('list, 10,000 tasks', scale), ms('list, 10 tasks', scale)), 3],
  ['dry run, 10,000 vs 10 tasks', ratio(ms('dry run, 10,000 tasks', scale), ms('dry run, 10 tasks', scale)), 3],
  ['peak memory, run --list vs node -e 0', ratio(memory[1][1], memory[0][1]), 1.5],
]

const fmt = (v, d = 1) => (v === undefined ? 'n/a' : v.toFixed(d))
const lines = [
  `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}; Node ${process.version}; ${runs} runs per command, medians.`,
  '',
  `Command: node bench/startup.mjs ${runs}`,
  '',
  '| command | median (ms) | vs node -e 0 |',
  '| --- | ---: | ---: |',
  ...startup.map((r) => `| ${r.name.replace(/\|/g, '\\|')} | ${fmt(r.median)} | ${fmt(r.median / base, 2)}x |`),
  '',
  '| scale | median (ms) |',
  '| --- | ---: |',
  ...scale.map((r) => `| ${r.name} | ${fmt(r.median)} |`),
  '',
  '| peak memory | MiB |',
  '| --- | ---: |',
  ...memory.map(([name, v]) => `| ${name} | ${fmt(v)} |`),
  '',
  '| goal | measured | limit | met |',
  '| --- | ---: | ---: | --- |',
  ...goals.map(([name, v, limit]) => `| ${name} | ${fmt(v, 2)}x | ${limit}x | ${v !== undefined && v <= limit ? 'yes' : 'NO'} |`),
]
writeFileSync(path.join(repo, 'bench', 'startup.md'), `${lines.join('\n')}\n`)
writeFileSync(path.join(repo, 'bench', 'startup.svg'), chart(startup))
console.log(lines.join('\n'))

/** A horizontal bar chart of the start-up medians. */
function chart(results) {
  const width = 760
  const bar = 22
  const left = 190
  const max = Math.max(...results.map((r) => r.median))
  const scaleX = (width - left - 80) / max
  const rowsSvg = results
    .map((r, i) => {
      const y = 40 + i * (bar + 8)
      const runts = r.name.startsWith('run ')
      const w = Math.max(1, r.median * scaleX)
      return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escapeXml(r.name)}</text><rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${runts ? '#2f7d32' : '#8a8f98'}"/><text x="${left + w + 6}" y="${y + 15}">${r.median.toFixed(0)} ms</text>`
    })
    .join('\n')
  const height = 40 + results.length * (bar + 8) + 20
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13" role="img">
<title>runts start-up compared with other task runners</title>
<text x="${left}" y="22" font-weight="bold">Start-up, median of ${runs} runs (${os.cpus().length} cores, Node ${process.version})</text>
${rowsSvg}
</svg>
`
}

function escapeXml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}
