/**
 * The packed tarball, installed into a fresh project with npm, used the way a
 * user would: `npx run`, `import ... from 'runts'`, the generated Makefile.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { packedProject } from '../helpers/packed.js'
import { repo, runProcess } from '../helpers/project.js'

const TASKS = `import { task, parallel, $, env } from 'runts'

export const clean = task({ description: 'Remove build output', run: () => $\`rm -rf dist\` })
export const build = task({ description: 'Build', deps: [clean], run: () => $\`mkdir -p dist && touch dist/pkg.tgz\` })
export const lint = task(() => $\`echo lint ok\`)
export const publishTest = task({
  name: 'publish:test',
  env: ['TEST_TOKEN'],
  deps: [build],
  run: () => $\`echo uploading with \${env.TEST_TOKEN}\`,
})
export const releaseTest = task({ name: 'release:test', deps: [parallel(lint), clean, build, publishTest] })
`

describe('the packed package', () => {
  let dir: string
  beforeAll(async () => {
    // The tarball every test file shares: packing rewrites the repository's package.json for a moment
    // (prepack), so two packs at once would see each other's (helpers/packed.ts packs under a lock).
    dir = (await packedProject({ 'tasks.config.ts': TASKS, '.env': 'TEST_TOKEN=npm_secret_value\n' })).dir
  }, 300_000)

  it('installs a working `run` that lists, plans and runs', async () => {
    const run = (args: string[]) => runProcess(path.join(dir, 'node_modules', '.bin', 'run'), args, { cwd: dir })
    const list = await run(['--list', '--json'])
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).map((t: { name: string }) => t.name)).toContain('release:test')
    expect((await run(['--dry-run', 'release:test'])).stdout).toBe('lint\nclean\nbuild\npublish:test\nrelease:test\n')
    const release = await run(['release:test'])
    expect(release.code).toBe(0)
    expect(release.stdout).toContain('uploading with ***')
    expect(release.stdout + release.stderr).not.toContain('npm_secret_value')
  })

  it('ships a package.json without the repository-only prepare script', () => {
    const installed = JSON.parse(readFileSync(path.join(dir, 'node_modules', 'runts', 'package.json'), 'utf8'))
    expect(installed.scripts?.prepare).toBeUndefined()
    expect(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts.prepare).toBeDefined()
  })

  it('writes a Makefile that make runs', async () => {
    const gen = await runProcess(path.join(dir, 'node_modules', '.bin', 'run'), ['--makefile'], { cwd: dir })
    expect(gen.stdout).toContain('RUN ?= node_modules/.bin/run')
    writeFileSync(path.join(dir, 'Makefile'), gen.stdout)
    const made = await runProcess('make', ['publish:test'], { cwd: dir })
    expect(made.code).toBe(0)
    expect(made.stdout).toContain('uploading with ***')
  })

  it('type-checks a tasks file against the published types', () => {
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
    writeFileSync(path.join(dir, 'bad.ts'), "import { task } from 'runts'\nexport const x = task({ deps: 42 })\n")
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node']
    const typeRoots = ['--typeRoots', path.join(repo, 'node_modules', '@types')]
    expect(() => execFileSync(process.execPath, [tsc, ...args, ...typeRoots, 'tasks.config.ts'], { cwd: dir, stdio: 'pipe' })).not.toThrow()
    expect(() => execFileSync(process.execPath, [tsc, ...args, ...typeRoots, 'bad.ts'], { cwd: dir, stdio: 'pipe' })).toThrow()
  }, 120_000) // two full tsc runs: seconds alone, much longer on a busy machine
})
