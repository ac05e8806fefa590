/**
 * Drives a StatusWriter on a real terminal for test/e2e/status-line.test.ts: each key pressed (raw mode,
 * no echo) plays the next step of a made-up run. Bundled by esbuild into a temp folder by the test.
 */
import { colors } from '../../src/report/colors.js'
import { StatusWriter } from '../../src/report/status-writer.js'
import type { RunEvent } from '../../src/run/events.js'

const status = new StatusWriter({
  terminal: process.stderr,
  total: 3,
  now: () => performance.now(),
  width: () => process.stderr.columns ?? 80,
  colors: colors(true),
})
const out = status.wrap(process.stdout)
const err = status.wrap(process.stderr)
const start = (task: string): RunEvent => ({ kind: 'task-start', task, concurrent: true, interactive: false, pipeline: false })
const end = (task: string): RunEvent => ({ kind: 'task-end', task, status: 'ok', duration: 1 })

const steps: Array<() => void> = [
  () => {
    status.handle(start('build'))
    status.handle(start('lint'))
    out.write('build | compiling\n')
    err.write('lint  | checking\n')
  },
  () => out.write('build | progress 50%'),
  () => out.write(' and done\n'),
  () => {
    status.handle(end('build'))
    status.handle(start('publish:test'))
  },
  () => {
    status.handle(end('lint'))
    status.handle(end('publish:test'))
    status.stop()
    process.stderr.write('summary: 3 tasks done\n')
  },
]
steps.shift()!()
process.stdin.setRawMode(true)
process.stdin.on('data', () => {
  steps.shift()!()
  if (steps.length === 0) process.exit(0)
})
