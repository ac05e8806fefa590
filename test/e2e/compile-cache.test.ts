/** The compiled-tasks cache under concurrent runs, and where it cannot be written. */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { packedProject } from '../helpers/packed.js'
import { Project, runProcess } from '../helpers/project.js'

const TASKS = "import { task } from 'runts'\nconst word: string = 'compiled'\nexport const say = task(() => console.log(word))\n"
/** The cache is esbuild's: on Node 24, which strips types itself, only when esbuild is asked for. */
const ESBUILD = { RUNTS_TYPESCRIPT: 'esbuild' }

describe('the compiled-tasks cache', () => {
  it('serves 40 runs started at once on a cold cache, each with the right build', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    // Before each run's files were its own, about one run in seven failed this way (ENOENT on rename).
    const runs = await Promise.all(Array.from({ length: 40 }, () => p.run(['say'], { env: ESBUILD })))
    for (const r of runs) {
      expect(r.stderr).not.toContain('ENOENT')
      expect(r.code).toBe(0)
      expect(r.stdout).toBe('compiled\n')
    }
  }, 120_000)

  it('falls back to a private folder when the project cannot be written (a root-built image run by another user)', async () => {
    // The packed runts, installed in the temp folder: a link to this repository would fail for another
    // user whenever the clone lives under a folder only its owner may enter (root's home, a mktemp -d).
    const p = await packedProject({ 'tasks.config.ts': TASKS })
    const dir = p.dir
    const cli = path.join(dir, 'node_modules', 'runts', 'dist', 'cli.js')
    chmodSync(dir, 0o755)
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0
    // As root, permissions do not stop us: run as nobody instead, in a project nobody cannot write.
    if (!asRoot) chmodSync(path.join(dir, 'node_modules'), 0o555)
    const [command, args] = asRoot
      ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, cli, 'say']]
      : [process.execPath, [cli, 'say']]
    const env = { HOME: os.tmpdir(), TMPDIR: realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-tmp-'))) }
    if (asRoot) execFileSync('chmod', ['1777', env.TMPDIR])
    for (let i = 0; i < 2; i++) {
      const r = await runProcess(command, args as string[], { cwd: dir, env: { ...env, ...ESBUILD, RUNTS_DEBUG: '1' } })
      expect(r.stderr).not.toContain('internal error')
      expect(r.code).toBe(0)
      expect(r.stdout).toBe('compiled\n')
      expect(r.stderr).toContain(i === 0 ? 'compiled' : 'using the cached build')
    }
  }, 120_000)
})
