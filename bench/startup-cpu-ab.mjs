#!/usr/bin/env node
// Start-up of this build against an earlier one (a git ref) in CPU time (user + sys, from /usr/bin/time),
// which the load of a shared machine barely moves where wall time swings by tens of milliseconds:
// `run --list`, `run noop`, `run t` for each build, alternating which build goes first, medians.
//
//   usage: node bench/startup-cpu-ab.mjs REF [runs]     (default 40 runs per command and build)
//   needs: GNU time (/usr/bin/time), git; this checkout built (npx run build)
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const [ref, runsArg = '40'] = process.argv.slice(2)
const runs = Number(runsArg)
const repo = fileURLToPath(new URL('..', import.meta.url))
if (!ref || !Number.isInteger(runs) || runs < 2) {
  console.error('usage: node bench/startup-cpu-ab.mjs REF [runs]')
  process.exit(2)
}
if (!existsSync(path.join(repo, 'dist', 'cli.js'))) throw new Error('build first: npx run build')
const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-cpu-ab-'))
const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
process.on('exit', () => {
  try {
    git('worktree', 'remove', '--force', path.join(dir, 'old'))
  } catch {}
  rmSync(dir, { recursive: true, force: true })
})
const commit = git('rev-parse', '--short', ref).trim()
git('worktree', 'add', '--detach', path.join(dir, 'old'), commit)
symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'old', 'node_modules'))
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: path.join(dir, 'old'), stdio: ['ignore', 'ignore', 'inherit'] })

const tasks = "import { task, $ } from 'runts'\nexport const noop = task(() => {})\nexport const t = task(() => $`true`)\n"
const builds = { old: path.join(dir, 'old'), new: repo }
for (const [name, build] of Object.entries(builds)) {
  mkdirSync(path.join(dir, name, 'project', 'node_modules'), { recursive: true })
  symlinkSync(build, path.join(dir, name, 'project', 'node_modules', 'runts'))
  writeFileSync(path.join(dir, name, 'project', 'tasks.config.ts'), tasks)
}
const commands = ['--list', 'noop', 't']
const cpu = new Map()
for (let i = 0; i < runs; i++) {
  for (const what of commands) {
    for (const name of i % 2 ? ['old', 'new'] : ['new', 'old']) {
      const cli = path.join(builds[name], 'dist', 'cli.js')
      const r = spawnSync(
        '/usr/bin/time',
        ['-f', '%U %S', process.execPath, cli, '-f', path.join(dir, name, 'project', 'tasks.config.ts'), what],
        {
          encoding: 'utf8',
        },
      )
      const [user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number)
      cpu.set(`${what} ${name}`, [...(cpu.get(`${what} ${name}`) ?? []), (user + sys) * 1000])
    }
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1]
console.log(`${runs} runs per command and build; CPU time (user + sys, 10 ms resolution); ${ref} is ${commit}\n`)
console.log(`| command | ${commit} (ms) | this build (ms) |\n| --- | ---: | ---: |`)
for (const what of commands) console.log(`| run ${what} | ${median(cpu.get(`${what} old`))} | ${median(cpu.get(`${what} new`))} |`)
