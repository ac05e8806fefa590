/**
 * `npx runts --init` in a fresh Python project, from the packed tarball: installing runts made a
 * package.json that holds nothing else, and --init still picks the python template; the tasks it
 * writes list and show their variables with the defaults they use.
 */
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Packed, packedProject } from '../helpers/packed.js'
import { runProcess } from '../helpers/project.js'

describe('npx runts in a Python project', () => {
  let p: Packed
  const npx = (args: string[]) => runProcess('npx', ['runts', ...args], { cwd: p.dir })

  beforeAll(async () => {
    p = await packedProject(
      { 'pyproject.toml': '[project]\nname = "pycounts"\nversion = "0.1.0"\n', 'src/pycounts/__init__.py': '' },
      { manifest: false },
    )
  }, 300_000)
  afterAll(() => rmSync(p.dir, { recursive: true, force: true }))

  it('--init picks the python template beside a package.json that only holds runts', async () => {
    expect(Object.keys(JSON.parse(readFileSync(path.join(p.dir, 'package.json'), 'utf8')))).toEqual(['devDependencies'])
    const r = await npx(['--init'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('the python template')
    expect(r.stdout).toContain('.pre-commit-config.yaml')
    expect(readFileSync(path.join(p.dir, '.gitignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['node_modules/', 'dist/', '.env', '__pycache__/', '.pytest_cache/']),
    )
    const list = await npx(['--list', '--json'])
    expect(JSON.parse(list.stdout).map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['test', 'publish:test', 'publish:prod', 'release:test', 'release:prod']),
    )
  })

  it('run --env publish:test shows where the upload goes when TEST_PYPI_URL is unset: TestPyPI, by default', async () => {
    const r = await npx(['--env', 'publish:test'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/TEST_PYPI_URL +https:\/\/test\.pypi\.org\/legacy\/ +\(default\) +publish:test/)
    expect(r.stdout).toMatch(/TEST_PYPI_INDEX_URL +https:\/\/test\.pypi\.org\/simple\/ +\(default\) +publish:test/)
    expect(r.stdout).toMatch(/TEST_PYPI_TOKEN +\(not set\) +publish:test/)
    expect(r.stdout).toMatch(/PYTHON +python3 +\(default\)/)
  })
})
