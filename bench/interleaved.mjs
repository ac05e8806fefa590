// Interleaved hyperfine rounds, shared by the start-up benchmarks: each round runs every command (5
// runs after 1 warm-up), so the machine's drift over time falls on all of them alike; the times of all
// rounds are pooled, and compared by their medians.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** Every command's times (seconds) over `rounds` rounds; `dir` holds hyperfine's JSON, `cwd` is where they run. */
export function interleaved(commands, rounds, { dir, cwd }) {
  const times = new Map(commands.map(([name]) => [name, []]))
  for (let round = 1; round <= rounds; round++) {
    console.error(`round ${round}/${rounds}`)
    const out = path.join(dir, `round-${round}.json`)
    const args = ['-N', '--warmup', '1', '--runs', '5', '--export-json', out, '--style', 'none']
    for (const [name, command] of commands) args.push('-n', name, command)
    execFileSync('hyperfine', args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
    for (const r of JSON.parse(readFileSync(out, 'utf8')).results) times.get(r.command).push(...r.times)
  }
  return times
}

/** The median of times in seconds, in milliseconds. */
export function median(list) {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[sorted.length >> 1] * 1000
}
