/**
 * npm workspaces (issue 23, item 14): in a workspace package, `npm run` puts the `node_modules/.bin`
 * of every folder above it on PATH, so a tool npm hoisted to the workspace root (`tsc`) is found.
 * `run` does the same, through the Makefile `run --makefile` writes too; and `run --init` at the
 * workspaces root, which is no package, says so instead of writing the npm template there.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Project, repo, runProcess } from '../helpers/project.js'

const projects: Project[] = []
afterAll(() => {
  for (const p of projects) rmSync(p.dir, { recursive: true, force: true })
})

/** A workspaces root with the real tsc hoisted to its node_modules/.bin, and one package that calls it. */
function workspace(): { root: Project; app: string } {
  const root = new Project({
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    'packages/app/package.json': JSON.stringify({ name: 'app', version: '1.0.0', scripts: { version: 'tsc --version' } }),
    'packages/app/tasks.config.ts': "import { $, task } from 'runts'\nexport const version = task(() => $`tsc --version`)\n",
  })
  projects.push(root)
  mkdirSync(path.join(root.dir, 'node_modules', '.bin'))
  symlinkSync(path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), path.join(root.dir, 'node_modules', '.bin', 'tsc'))
  return { root, app: path.join(root.dir, 'packages', 'app') }
}

/** The test runner's PATH without its own node_modules/.bin folders (which hold a tsc too). */
const env = {
  PATH: (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(path.delimiter),
}

describe('npm workspaces', () => {
  it('finds a tool hoisted to the workspaces root, as npm run does, and through the generated Makefile', async () => {
    const { root, app } = workspace()
    const npm = await runProcess('npm', ['run', '-s', 'version'], { cwd: app, env })
    expect(npm.stdout).toMatch(/^Version \d+\.\d+/)
    const run = await root.run(['version'], { cwd: app, env })
    expect(run.stderr).not.toContain('not found')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(npm.stdout)
    const makefile = await root.run(['--makefile'], { cwd: app, env })
    writeFileSync(path.join(app, 'Makefile'), makefile.stdout)
    const make = await runProcess('make', ['-s', 'version'], { cwd: app, env })
    expect(make.code).toBe(0)
    expect(make.stdout).toBe(npm.stdout)
  })

  it('refuses --init at the workspaces root (exit 2), which is no package, and writes the template in a package', async () => {
    const { root, app } = workspace()
    rmSync(path.join(app, 'tasks.config.ts'))
    for (const args of [['--init'], ['--init', '--template', 'npm']]) {
      const r = await root.run(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(
        `error: ${root.dir} is the root of npm workspaces (packages/*), not a package the npm template can publish`,
      )
      expect(r.stderr).toContain('hint: run --init in the folder of the package to publish (in packages/*)')
    }
    expect(existsSync(path.join(root.dir, 'tasks.config.ts'))).toBe(false)
    const inPackage = await root.run(['--init'], { cwd: app })
    expect(inPackage.code).toBe(0)
    expect(inPackage.stdout).toContain('(the npm template)')
    expect(existsSync(path.join(app, 'tasks.config.ts'))).toBe(true)
  })
})
