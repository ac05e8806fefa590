/** What `run` writes: byte for byte, and a clean stop when its reader goes away. */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tagProcesses, until } from '../helpers/processes.js'
import { cli, Project } from '../helpers/project.js'

const TASKS = `
import { task, parallel, $ } from 'runts'
export const bin = task(() => $\`cat data.bin\`)
export const flood = task({ deps: [parallel(task({ name: 'yes', run: () => $\`yes | head -n 2000000\` }), task({ name: 'sleeper', run: () => $\`sleep 64\` }))] })
`

describe('output', () => {
  it('passes binary output through byte for byte, with and without secrets', async () => {
    const data = randomBytes(200_000)
    const p = new Project({ 'tasks.config.ts': TASKS })
    writeFileSync(path.join(p.dir, 'data.bin'), data)
    for (const env of [{}, { API_TOKEN: 'not-in-the-data-1234' }]) {
      const out = execFileSync(process.execPath, [cli, 'bin'], {
        cwd: p.dir,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 1e7,
      })
      expect(Buffer.compare(out, data)).toBe(0)
    }
  })

  it('stops quietly, leaving nothing running, when its reader goes away (run … | head)', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const tagged = tagProcesses()
    const child = spawn(process.execPath, [cli, '--jobs', '2', 'flood'], {
      cwd: p.dir,
      env: { ...process.env, ...tagged.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    await until(() => tagged.running(/^sleep 64$/).length > 0, 10_000, 'sleep 64 to start')
    child.stdout.destroy()
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(141)
    expect(stderr).not.toContain('EPIPE')
    // Quietly, as asked: no error, no summary.
    expect(stderr).not.toContain('error')
    expect(stderr).not.toMatch(/stopped|done in/)
    expect(tagged.running()).toEqual([])
  })
})
