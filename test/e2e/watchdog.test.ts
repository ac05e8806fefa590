/**
 * The watchdog knows a command before the command can start anything: its shell hands over its own
 * process group first. So runts dying in the instant after starting a command (before it told the
 * watchdog itself, as a loaded machine can make last for milliseconds) leaves nothing running either.
 * Here runts' own telling is switched off, and its end is its pipe to the watchdog closing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { $ } from 'zx'
import { ProcessGroups } from '../../src/run/processes.js'
import { Watchdog } from '../../src/run/watchdog.js'
import { describeProcesses, tagProcesses, until } from '../helpers/processes.js'

const watch = Watchdog.prototype.watch
let left: () => number[] = () => []
afterEach(() => {
  Watchdog.prototype.watch = watch
  for (const pid of left()) process.kill(pid, 'SIGKILL')
})

describe('the watchdog', () => {
  it("stops a command whose start runts never reported, once runts' end of the pipe closes", async () => {
    Watchdog.prototype.watch = () => {}
    const groups = new ProcessGroups()
    const tagged = tagProcesses()
    left = () => tagged.running()
    const command = $({ spawn: groups.spawnFor('t', false), env: { ...process.env, ...tagged.env }, nothrow: true, quiet: true })`sleep 306`
    await until(() => tagged.running(/^sleep 306$/).length === 1, 10_000, 'the sleep')
    // What the kernel does when runts dies: its end of the watchdog's pipe closes, with no goodbye.
    const watchdog = (groups as unknown as { watchdog: { child?: { stdin: { destroy(): void } } } }).watchdog
    watchdog.child?.stdin.destroy()
    await until(() => tagged.running().length === 0, 5_000, 'nothing left 5 s after the pipe closed').catch((error: Error) => {
      throw new Error(`${error.message}; left: ${describeProcesses(tagged.running())}`)
    })
    expect((await command).signal).toBe('SIGTERM')
  })
})
