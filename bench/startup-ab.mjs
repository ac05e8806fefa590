#!/usr/bin/env node
// Start-up of this build against an earlier one (a git ref), side by side: `node -e 0`, `run --list`,
// `run noop` and `run t` (a task running the shell command `true`) for each build, in interleaved
// hyperfine rounds (so that the machine's drift falls on both alike), medians over all rounds.
// Answers "what did this change cost at start-up?" where bench/startup.mjs compares with other runners.
//
//   usage: node bench/startup-ab.mjs REF [rounds]     (default 12 rounds of 5 runs per command)
//   needs: hyperfine (apt-get install hyperfine), git; this checkout built (npx run build)
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { abBuilds } from './ab-builds.mjs'
import { interleaved, median } from './interleaved.mjs'

const [ref, roundsArg = '12'] = process.argv.slice(2)
const rounds = Number(roundsArg)
const repo = fileURLToPath(new URL('..', import.meta.url))
const fail = (message) => {
  console.error(`bench/startup-ab.mjs: ${message}`)
  process.exit(2)
}
if (!ref) fail('usage: node bench/startup-ab.mjs REF [rounds]   (REF: a commit, tag or branch to compare with)')
if (!Number.isInteger(rounds) || rounds < 2) fail('rounds must be a whole number of at least 2')
if (!existsSync(path.join(repo, 'dist', 'cli.js'))) fail('build first: npx run build')

const { dir, commit, builds, tasksFile } = abBuilds(ref, 'runts-ab-')
const node = process.execPath
const commands = [['node -e 0', `${node} -e 0`]]
for (const [what, args] of [
  ['run --list', '--list'],
  ['run noop', 'noop'],
  ['run t', 't'],
]) {
  for (const [name, build] of Object.entries(builds)) {
    commands.push([`${what} (${name})`, `${node} ${build}/dist/cli.js -f ${tasksFile(name)} ${args}`])
  }
}

const times = interleaved(commands, rounds, { dir })
const base = median(times.get('node -e 0'))
const line = (cells) => `| ${cells.join(' | ')} |`
console.log(`${rounds} rounds x 5 runs per command; ${ref} is ${commit}\n`)
console.log(line(['command', `${commit} (ms)`, 'this build (ms)', `${commit} vs node -e 0`, 'this build vs node -e 0', 'difference']))
console.log(line(['---', '---:', '---:', '---:', '---:', '---:']))
console.log(line(['node -e 0', base.toFixed(1), base.toFixed(1), '1.00x', '1.00x', '']))
for (const what of ['run --list', 'run noop', 'run t']) {
  const [a, b] = [median(times.get(`${what} (old)`)), median(times.get(`${what} (new)`))]
  const sign = b >= a ? '+' : ''
  console.log(
    line([what, a.toFixed(1), b.toFixed(1), `${(a / base).toFixed(2)}x`, `${(b / base).toFixed(2)}x`, `${sign}${(b - a).toFixed(1)} ms`]),
  )
}
