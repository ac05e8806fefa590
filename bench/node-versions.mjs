#!/usr/bin/env node
// Start-up on Node 20, 22 and 24, and which way each should load runts and the tasks file. For each
// Node: `node -e 0`, then `run --list` and `run noop` (a TypeScript tasks file, runts installed in the
// project's node_modules) along every path that Node can take:
//   - the tasks file: esbuild's build, cached in node_modules/.cache/runts (RUNTS_TYPESCRIPT=esbuild),
//     or Node's own type stripping, kept by Node's compile cache (RUNTS_TYPESCRIPT=native; 22 and 24);
//   - the CLI's bundle: runts' V8 code cache, written after a run (RUNTS_CLI_CACHE=v8), or Node's
//     compile cache (RUNTS_CLI_CACHE=node; 22 and 24).
// Every command in interleaved hyperfine rounds (the machine's drift falls on all alike), medians over
// all rounds, each through `env` (so the baseline pays for it too). The defaults in src/cli.ts and
// src/load/typescript-path.ts are the fastest paths measured here; the table marks them.
//
//   usage: node bench/node-versions.mjs [rounds]     (default 10 rounds of 5 runs per command)
//   needs: hyperfine (apt-get install hyperfine); Node 22 and 24 come from scripts/nodes.mjs
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { nodeBinary } from '../scripts/nodes.mjs'
import { interleaved, median } from './interleaved.mjs'

const rounds = Number(process.argv[2] ?? '10')
const repo = fileURLToPath(new URL('..', import.meta.url))
const cli = path.join(repo, 'dist', 'cli.js')
const fail = (message) => {
  console.error(`bench/node-versions.mjs: ${message}`)
  process.exit(2)
}
if (!Number.isInteger(rounds) || rounds < 2) fail('rounds must be a whole number of at least 2')
if (!existsSync(cli)) fail('build first: npx run build')
if (spawnSync('sh', ['-c', 'command -v hyperfine']).status !== 0) fail('needs hyperfine (apt-get install hyperfine)')

/** Node 20: the one on PATH (Debian's); 22 and 24: the official builds. */
const node20 = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim()
const nodes = { 20: node20, 22: nodeBinary(22), 24: nodeBinary(24) }
const versionOf = (node) => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
if (!versionOf(node20).startsWith('v20.')) fail(`the node on PATH is ${versionOf(node20)}, not Node 20`)

const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-node-versions-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
mkdirSync(path.join(dir, 'node_modules'))
symlinkSync(repo, path.join(dir, 'node_modules', 'runts'))
writeFileSync(
  path.join(dir, 'tasks.config.ts'),
  "import { task } from 'runts'\nexport const noop = task({ description: 'nothing', run: () => {} })\n",
)

const commands = []
const paths = {}
for (const [major, node] of Object.entries(nodes)) {
  const strips = major !== '20'
  const compileCache = major !== '20'
  commands.push([`${major}: node -e 0`, `env ${node} -e 0`])
  paths[major] = []
  for (const typescript of strips ? ['esbuild', 'native'] : ['esbuild']) {
    for (const cache of compileCache ? ['v8', 'node'] : ['v8']) {
      const variant = `ts=${typescript} cli=${cache}`
      paths[major].push(variant)
      for (const [what, args] of [
        ['run --list', '--list'],
        ['run noop', 'noop'],
      ]) {
        commands.push([
          `${major}: ${what} (${variant})`,
          `env RUNTS_TYPESCRIPT=${typescript} RUNTS_CLI_CACHE=${cache} ${node} ${cli} ${args}`,
        ])
      }
    }
  }
}

// Each command once first: it must work, and its caches get written (two runs: the code cache is
// written again by the first run that ran a task).
for (const [name, command] of commands) {
  for (let i = 0; i < 2; i++) {
    const r = spawnSync('sh', ['-c', command], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
    if (r.status !== 0) fail(`'${name}' failed: ${r.stderr}`)
  }
}

const times = interleaved(commands, rounds, { dir, cwd: dir })

const defaults = { 20: 'ts=esbuild cli=v8', 22: 'ts=esbuild cli=v8', 24: 'ts=native cli=v8' }
const line = (cells) => `| ${cells.join(' | ')} |`
console.log(`${rounds} rounds x 5 runs per command; load average before: ${os.loadavg()[0].toFixed(2)}\n`)
console.log(line(['Node', 'path (tasks file, CLI bundle)', 'run --list (ms)', 'vs node -e 0', 'run noop (ms)', 'vs node -e 0']))
console.log(line(['---', '---', '---:', '---:', '---:', '---:']))
for (const [major, node] of Object.entries(nodes)) {
  const base = median(times.get(`${major}: node -e 0`))
  console.log(line([versionOf(node), 'node -e 0', base.toFixed(1), '1.00x', base.toFixed(1), '1.00x']))
  for (const variant of paths[major]) {
    const list = median(times.get(`${major}: run --list (${variant})`))
    const noop = median(times.get(`${major}: run noop (${variant})`))
    const mark = variant === defaults[major] ? ' **(default)**' : ''
    console.log(
      line(['', `${variant}${mark}`, list.toFixed(1), `${(list / base).toFixed(2)}x`, noop.toFixed(1), `${(noop / base).toFixed(2)}x`]),
    )
  }
}
