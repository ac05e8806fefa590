#!/usr/bin/env node
// Start-up of this build against an earlier one (a git ref) in CPU time (user + sys, from /usr/bin/time),
// which the load of a shared machine barely moves where wall time swings by tens of milliseconds:
// `run --list`, `run noop`, `run t` for each build, alternating which build goes first, medians.
//
//   usage: node bench/startup-cpu-ab.mjs REF [runs]     (default 40 runs per command and build)
//   needs: GNU time (/usr/bin/time), git; this checkout built (npx run build)
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { abBuilds } from './ab-builds.mjs'

const [ref, runsArg = '40'] = process.argv.slice(2)
const runs = Number(runsArg)
const repo = fileURLToPath(new URL('..', import.meta.url))
if (!ref || !Number.isInteger(runs) || runs < 2) {
  console.error('usage: node bench/startup-cpu-ab.mjs REF [runs]')
  process.exit(2)
}
if (!existsSync(path.join(repo, 'dist', 'cli.js'))) throw new Error('build first: npx run build')
const { commit, builds, tasksFile } = abBuilds(ref, 'runts-cpu-ab-')
const commands = ['--list', 'noop', 't']
const cpu = new Map()
const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1]
for (let i = 0; i < runs; i++) {
  for (const what of commands) {
    for (const name of i % 2 ? ['old', 'new'] : ['new', 'old']) {
      const cli = path.join(builds[name], 'dist', 'cli.js')
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, cli, '-f', tasksFile(name), what], {
        encoding: 'utf8',
      })
      const [user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number)
      cpu.set(`${what} ${name}`, [...(cpu.get(`${what} ${name}`) ?? []), (user + sys) * 1000])
    }
  }
}
console.log(`${runs} runs per command and build; CPU time (user + sys, 10 ms resolution); ${ref} is ${commit}\n`)
console.log(`| command | ${commit} (ms) | this build (ms) |\n| --- | ---: | ---: |`)
for (const what of commands)
  console.log(`| run ${what} | ${median(cpu.get(`${what} old`)).toFixed(0)} | ${median(cpu.get(`${what} new`)).toFixed(0)} |`)
