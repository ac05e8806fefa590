// The Python test environment: a venv made from python3 on PATH, holding
// test/python/requirements.txt, in a git-ignored folder. A no-op when the venv
// already holds exactly that file (a hash of it and of the Python, kept in a
// marker), so tests call it every time. Several processes may call it at once:
// one builds, the others wait on a lock folder.
// Plain JavaScript so that CI can run it before anything is built:
//   node scripts/python-env.mjs    (prints the venv's python)
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
export const requirementsFile = path.join(root, 'test', 'python', 'requirements.txt')
export const envDir = path.join(root, 'node_modules', '.cache', 'runts-python-env')
const marker = path.join(envDir, '.requirements.sha256')
const lock = `${envDir}.lock`
// A lock older than this was left by a killed process: a first install takes well under a minute.
const staleLockMs = 10 * 60_000

/** Make (or reuse) the venv; resolves to its python and bin folder, and whether this call installed it. */
export async function ensurePythonEnv({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const bin = path.join(envDir, process.platform === 'win32' ? 'Scripts' : 'bin')
  const result = (installed, seconds) => ({ dir: envDir, bin, python: path.join(bin, 'python'), installed, seconds })
  const want = await wantedHash()
  if ((await readMarker()) === want) return result(false, 0)
  await acquireLock()
  try {
    // Another process may have built it while this one waited.
    if ((await readMarker()) === want) return result(false, 0)
    const started = performance.now()
    log(`python test env: installing ${path.relative(root, requirementsFile)} into ${path.relative(root, envDir)} (once)`)
    await makeVenv(log)
    await run(path.join(bin, 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirementsFile])
    await writeFile(marker, `${want}\n`)
    const seconds = (performance.now() - started) / 1000
    log(`python test env: ready in ${seconds.toFixed(1)} s`)
    return result(true, seconds)
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

/**
 * The venv, with pip. A Python without ensurepip (Debian's, unless python3-venv is installed) makes
 * it without pip, and pip comes from PyPI instead: its wheel runs as a program that installs itself.
 */
async function makeVenv(log) {
  try {
    await run('python3', ['-m', 'venv', '--clear', envDir])
    return
  } catch (error) {
    if (!/ensurepip/.test(error.message)) throw error
  }
  log('python test env: this python3 has no ensurepip; installing pip from PyPI')
  await run('python3', ['-m', 'venv', '--clear', '--without-pip', envDir])
  const wheel = await downloadPip()
  const python = path.join(envDir, process.platform === 'win32' ? 'Scripts' : 'bin', 'python')
  await run(python, [path.join(wheel, 'pip'), 'install', '--disable-pip-version-check', '--no-input', '--no-index', wheel])
  await rm(wheel, { force: true })
}

/** The latest pip wheel from PyPI, checked against the digest PyPI gives; resolves to its path. */
async function downloadPip() {
  const api = 'https://pypi.org/pypi/pip/json'
  const release = await fetchOk(api).then((r) => r.json())
  const file = release.urls.find((u) => u.packagetype === 'bdist_wheel')
  if (!file) throw new Error('python test env: PyPI lists no pip wheel')
  // A mirror may give the file's URL relative to the API's.
  const url = new URL(file.url, api).href
  const bytes = Buffer.from(await fetchOk(url).then((r) => r.arrayBuffer()))
  if (createHash('sha256').update(bytes).digest('hex') !== file.digests.sha256) {
    throw new Error(`python test env: ${url} does not match the sha256 PyPI gives for it`)
  }
  const target = path.join(envDir, file.filename)
  await writeFile(target, bytes)
  return target
}

async function fetchOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(120_000) })
  if (!response.ok) throw new Error(`python test env: ${url} answered HTTP ${response.status}`)
  return response
}

/** The requirements and the Python they are installed for: a new python3 on PATH rebuilds the venv. */
async function wantedHash() {
  const requirements = await readFile(requirementsFile)
  const python = await run('python3', ['-c', 'import sys; print(sys.version); print(sys.base_prefix)'])
  return createHash('sha256').update(requirements).update('\0').update(python).digest('hex')
}

async function readMarker() {
  try {
    return (await readFile(marker, 'utf8')).trim()
  } catch {
    return undefined
  }
}

async function acquireLock() {
  await mkdir(path.dirname(lock), { recursive: true })
  for (;;) {
    try {
      await mkdir(lock)
      return
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
    }
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    )
    if (age > staleLockMs) await rm(lock, { recursive: true, force: true })
    else await delay(250)
  }
}

/** Run a command, resolving to its stdout; on failure, reject with the end of what it printed. */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIP_NO_INPUT: '1' } })
    let stdout = ''
    let output = ''
    child.stdout.on('data', (d) => {
      stdout += d
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', (error) =>
      reject(new Error(`python test env: cannot start ${command} (${error.message}); install Python 3 with venv and pip`)),
    )
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`python test env: ${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`)),
    )
  })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = await ensurePythonEnv()
  console.log(env.python)
}
