// tasks.config.ts for a Python package, as the Python packaging guides release one: install, clean, build
// (sdist and wheel), check, lint (pre-commit), test (pytest), upload to TestPyPI, install it from there,
// upload to PyPI. Written by `run --init --template python`. Tokens come from .env (git-ignored): see
// .env.example. `run --env TASK` shows every variable a task reads, and the default it uses when unset.
//
//   run release:test   lint and test, clean, build, upload to TestPyPI, install it from there and import it
//   run release:prod   the same (a version already on TestPyPI is checked, not uploaded again), then PyPI
//
// Every tool runs through PYTHON (`python -m twine`, `python -m pytest`, …), so the versions `run install`
// put into that Python are the ones used, never an older copy on PATH. Arguments after a task's name go
// to its tool: `run test -k counts`, `run publish:test --verbose`. `check`, before any upload, refuses an
// sdist that carries runts' own files (package.json, tasks.config.ts, …) and says how to leave them out.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  $,
  type CheckContext,
  distFiles,
  env,
  findPublished,
  gitClean,
  notPublished,
  PYPI,
  parallel,
  readRelease,
  TEST_PYPI,
  tagMatchesVersion,
  task,
} from 'runts'

/**
 * The Python to use: PYTHON in .env (a venv's: PYTHON=.venv/bin/python), else python3 on PATH. A relative
 * path is the project's, from its root (this file's folder): the install check runs pip from a temp folder.
 */
const python = () => {
  const chosen = env.PYTHON || 'python3'
  return /[\\/]/.test(chosen) && !path.isAbsolute(chosen) ? path.resolve(import.meta.dirname, chosen) : chosen
}

// Where uploads go and where installs come from. For a self-hosted index (pypiserver), set both:
// TEST_PYPI_URL=http://host:8080/ and TEST_PYPI_INDEX_URL=http://host:8080/simple/.
const testIndex = { TEST_PYPI_URL: TEST_PYPI.uploadUrl, TEST_PYPI_INDEX_URL: TEST_PYPI.indexUrl }
const prodIndex = { PYPI_URL: PYPI.uploadUrl, PYPI_INDEX_URL: PYPI.indexUrl }

// What the build and the linters read: every file of the project (hatchling and setuptools-scm package what
// git does not ignore), less what builds, test runs and the tools' caches write (so that a build or a lint
// run never makes lint run again). A file too many only costs a rerun; a file too few could ship a stale build.
const sources = [
  '**',
  '!dist/**',
  '!build/**',
  '!**/*.egg-info/**',
  '!**/__pycache__/**',
  '!.pytest_cache/**',
  '!.ruff_cache/**',
  '!.mypy_cache/**',
  '!.hypothesis/**',
  '!.tox/**',
  '!.nox/**',
  '!htmlcov/**',
  '!.coverage',
  '!.venv/**',
  '!.env',
  '!.env.local',
]
// The build also reads the git refs: setuptools-scm's version is the tag's, so a new tag or commit rebuilds.
const gitRefs = ['.git/HEAD', '.git/packed-refs', '.git/refs/heads/**', '.git/refs/tags/**']

export const install = task({
  description: 'Upgrade pip and the release tools, then install the project in editable mode with its dev extras',
  optional: { PYTHON: 'python3' },
  run: async ({ args }) => {
    await $`${python()} -m pip install --upgrade pip build twine pre-commit pytest`
    await $`${python()} -m pip install -e ${'.[dev]'} ${args}`
    if (hasDevGroup()) await $`${python()} -m pip install --group dev`
  },
})

export const clean = task({
  description: 'Remove dist/, build/ and egg-info leftovers',
  run: () => $`rm -rf dist build *.egg-info src/*.egg-info`,
})

export const build = task({
  description: 'Build the sdist and the wheel into dist/ (PYTHON_BUILD_ARGS, e.g. --no-isolation, and arguments go to python -m build)',
  optional: { PYTHON: 'python3', PYTHON_BUILD_ARGS: undefined },
  inputs: [...sources, ...gitRefs],
  outputs: ['dist/**'],
  run: ({ args }) => $`${python()} -m build --sdist --wheel ${(env.PYTHON_BUILD_ARGS ?? '').split(/\s+/).filter(Boolean)} ${args}`,
})

export const check = task({
  description: "Check this version's sdist and wheel (twine check), and that the sdist carries none of runts' own files",
  optional: { PYTHON: 'python3' },
  deps: [build],
  run: async ({ args }) => {
    const files = await distFiles()
    await $`${python()} -m twine check ${args} ${files}`
    for (const sdist of files.filter((file) => file.endsWith('.tar.gz'))) await refuseRunnerFiles(sdist)
  },
})

export const lint = task({
  description: 'Run the pre-commit hooks over every file',
  optional: { PYTHON: 'python3' },
  inputs: sources,
  preflight: [hasPreCommitConfig],
  run: ({ args }) => $`${python()} -m pre_commit run --all-files ${args}`,
})

// No inputs: what the tests find depends on what is installed in PYTHON too, so they always run. Outputs:
// what pytest and Python write on every run, so that `run --watch test` does not start again for them.
export const test = task({
  description: 'Run the tests (pytest); arguments go to pytest: run test -k counts',
  optional: { PYTHON: 'python3' },
  outputs: ['.pytest_cache/**', '**/__pycache__/**'],
  run: ({ args }) => $`${python()} -m pytest ${args}`,
})

export const publishTest = task({
  name: 'publish:test',
  description: 'Upload this version to TestPyPI (TEST_PYPI_TOKEN), then install it from there into a fresh venv and import it',
  env: ['TEST_PYPI_TOKEN'],
  optional: { PYTHON: 'python3', ...testIndex, PYPI_INDEX_URL: PYPI.indexUrl, PYTHON_IMPORT_NAME: undefined },
  deps: [check],
  // Run on its own, a version already on the test index is refused; run from release:prod, it is promoted.
  preflight: [sameIndex('TEST_PYPI_URL', 'TEST_PYPI_INDEX_URL', TEST_PYPI), versionNotOnTestIndex],
  run: async ({ args, target }) => {
    const release = await readRelease()
    const { files, found, missing } = await againstIndex(env.TEST_PYPI_INDEX_URL!, release)
    if (found.files.length === 0) {
      await upload(env.TEST_PYPI_URL!, env.TEST_PYPI_TOKEN!, files, args)
    } else if (promoting({ target })) {
      console.log(`${release.name} ${release.version} is already on ${found.where}: not uploaded again, checking that it installs`)
      if (missing.length > 0) await upload(env.TEST_PYPI_URL!, env.TEST_PYPI_TOKEN!, missing, args)
    } else {
      throw new Error(`${release.name} ${release.version} is already on ${found.where}: bump the version`)
    }
    await installAndImport(release)
  },
})

export const publishProd = task({
  name: 'publish:prod',
  description: 'Upload this version to PyPI (PYPI_TOKEN), from a clean tree whose HEAD carries the version tag',
  env: ['PYPI_TOKEN'],
  optional: { PYTHON: 'python3', ...prodIndex },
  deps: [check],
  preflight: [sameIndex('PYPI_URL', 'PYPI_INDEX_URL', PYPI), gitClean(), tagMatchesVersion(), notWhollyOnPyPI],
  confirm: async (context) => {
    const { name, version } = await readRelease({ cwd: context.cwd })
    const url = context.env?.PYPI_URL ?? PYPI.uploadUrl
    return `Upload ${name} ${version} to ${url === PYPI.uploadUrl ? `PyPI (${url})` : bare(url)}?`
  },
  run: async ({ args }) => {
    const release = await readRelease()
    // An upload that stopped half-way (the wheel went up, the sdist did not): PyPI takes the missing files.
    const { found, missing } = await againstIndex(env.PYPI_INDEX_URL!, release)
    if (missing.length === 0) throw new Error(`${release.name} ${release.version} is already on ${found.where}: bump the version`)
    if (found.files.length > 0) {
      console.log(`${release.name} ${release.version} is partly on ${found.where} (${found.files.join(', ')}): uploading the rest`)
    }
    await upload(env.PYPI_URL!, env.PYPI_TOKEN!, missing, args)
  },
})

export const releaseTest = task({
  name: 'release:test',
  description: 'lint and test, clean, build, publish:test',
  deps: [parallel(lint, test), clean, build, publishTest],
})

export const releaseProd = task({
  name: 'release:prod',
  description: 'release:test (a version already on TestPyPI is checked, not uploaded again), then publish:prod',
  // In CI, the workflow's job runs `run install` first (a fresh runner has none of the tools).
  ci: ['release', 'dispatch'],
  deps: [releaseTest, publishProd],
})

export const verify = task({
  description: 'lint and test, then build and check this version (what CI runs on every push and pull request)',
  ci: ['push', 'pull_request'],
  deps: [parallel(lint, test), check],
})

/** This version's built files, what the index has of it, and which of the files it lacks. */
async function againstIndex(index: string, release: { name: string; version: string }) {
  const files = await distFiles(release)
  const found = await findPublished({ index, ...release })
  return { files, found, missing: files.filter((file) => !found.files.includes(path.basename(file))) }
}

/** Run from release:prod, publish:test promotes: a version already on the test index is checked, not uploaded again. */
function promoting(context?: { target?: string }): boolean {
  return context?.target === 'release:prod'
}

/** A check: uploads and installs (and the "not yet published" check) use one index, not one of each. */
function sameIndex(uploadVar: string, indexVar: string, known: { uploadUrl: string; indexUrl: string }) {
  return function uploadAndIndexAgree(context?: CheckContext) {
    const upload = context?.env?.[uploadVar] ?? known.uploadUrl
    const index = context?.env?.[indexVar] ?? known.indexUrl
    if ((upload === known.uploadUrl) === (index === known.indexUrl)) return undefined
    return `${uploadVar} (${bare(upload)}) and ${indexVar} (${bare(index)}) name different indexes: set both (pypiserver: its / and its /simple/)`
  }
}

/** A check: pre-commit has hooks to run. */
function hasPreCommitConfig(context?: CheckContext) {
  if (existsSync(path.join(context?.cwd ?? '.', '.pre-commit-config.yaml'))) return undefined
  return 'no .pre-commit-config.yaml: write one (run --init writes a starter), or take lint out of release:test'
}

/**
 * A check: the version is not on PyPI yet, or only part of it is (an sdist without a wheel, or the
 * reverse: an upload that stopped half-way), which publish:prod completes. An index never takes a file
 * twice, but takes a version's missing files.
 */
async function notWhollyOnPyPI(context?: CheckContext) {
  const { files } = await findPublished({ index: env.PYPI_INDEX_URL }, context)
  const whole = files.some((file) => file.endsWith('.whl')) && files.some((file) => file.endsWith('.tar.gz'))
  return whole ? notPublished(() => ({ index: env.PYPI_INDEX_URL }))(context) : undefined
}

/** A check: the version is not on the test index yet, unless release:prod promotes it from there. */
function versionNotOnTestIndex(context?: CheckContext) {
  return promoting(context) ? undefined : notPublished(() => ({ index: env.TEST_PYPI_INDEX_URL }))(context)
}

// What runts brings into a Python project (package.json and its lock are runts' own here, made by
// `npm i -D runts`; tsconfig.json, by `run --init` for the editor when runts comes from PyPI; the workflow
// `run --ci github` writes): none of it belongs in an sdist. The list is yours to change.
const RUNNER_FILES =
  /^(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|tsconfig\.json|tasks\.config\.[cm]?[jt]s|\.env(?:\..+)?|\.github\/workflows\/runts\.yml)$/

/** runts in the dev dependency group (where `run --init` puts it when the project keeps its tools there), which pip installs from 25.1. */
function hasDevGroup(): boolean {
  const pyproject = readFileSync(path.join(import.meta.dirname, 'pyproject.toml'), 'utf8')
  // The table's lines: up to the next line that starts a table, or the end.
  const groups = /^\[dependency-groups\][ \t]*(?:#.*)?$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(pyproject)?.[1] ?? ''
  return /^\s*"?dev"?\s*=/m.test(groups)
}

/** Refuses an sdist that carries runts' own files (hatchling and setuptools-scm pack every file git tracks), naming them and the fix. */
async function refuseRunnerFiles(sdist: string): Promise<void> {
  const { stdout } = await $({ quiet: true })`tar -tzf ${sdist}`
  // NAME-VERSION/FILE: the project's own files are one folder down.
  const inside = stdout.split('\n').map((entry) => entry.replace(/^[^/]*\//, ''))
  const files = [...new Set(inside.filter((file) => RUNNER_FILES.test(file)))].sort()
  const folders = inside.some((file) => file.startsWith('node_modules/')) ? ['node_modules'] : []
  if (files.length + folders.length === 0) return
  const named = [...files, ...folders.map((folder) => `${folder}/`)].join(', ')
  throw new Error(
    `${path.basename(sdist)} carries runts' own files: ${named}; nothing was uploaded. Leave them out ${sdistFix(files, folders)}`,
  )
}

/** Where and how to leave files out of the sdist, for the build backend pyproject.toml names. */
function sdistFix(files: string[], folders: string[]): string {
  const pyproject = readFileSync(path.join(import.meta.dirname, 'pyproject.toml'), 'utf8')
  if (/build-backend\s*=\s*["']hatchling/.test(pyproject)) {
    const exclude = [...files, ...folders].map((name) => JSON.stringify(`/${name}`)).join(', ')
    return `in pyproject.toml (hatchling packs every file git does not ignore; add to the table if it is there already):\n\n[tool.hatch.build.targets.sdist]\nexclude = [${exclude}]\n`
  }
  if (/build-backend\s*=\s*["']setuptools/.test(pyproject)) {
    const lines = [...folders.map((folder) => `prune ${folder}`), ...(files.length > 0 ? [`exclude ${files.join(' ')}`] : [])]
    return `in MANIFEST.in (with setuptools-scm installed, setuptools packs every file git tracks):\n\n${lines.join('\n')}\n`
  }
  return "in your build backend's settings for the sdist (its list of files to exclude)"
}

/** A URL as it may be printed: without a user or password in it. */
function bare(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return u.href
  } catch {
    return url
  }
}

/** twine upload of these files only, as __token__; the token goes in twine's environment, never on its command line. */
function upload(repositoryUrl: string, token: string, files: string[], args: string[]) {
  return $({
    env: { ...env, TWINE_USERNAME: '__token__', TWINE_PASSWORD: token },
  })`${python()} -m twine upload --non-interactive --disable-progress-bar --repository-url ${repositoryUrl} ${args} ${files}`
}

/**
 * The guides' last step: install the uploaded version from the test index into a fresh venv and import it.
 * Its dependencies come from the production index (they are rarely on TestPyPI). An index may take a
 * while to list a new upload (TestPyPI's CDN): wait for it, a minute at most.
 */
async function installAndImport({ name, version }: { name: string; version: string }): Promise<void> {
  const index = env.TEST_PYPI_INDEX_URL!
  const deadline = Date.now() + 60_000
  while ((await findPublished({ index, name, version })).files.length === 0) {
    if (Date.now() > deadline) throw new Error(`${name} ${version} is not listed on ${bare(index)} a minute after the upload`)
    await new Promise((resolve) => setTimeout(resolve, 3000))
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'publish-test-venv-'))
  try {
    const venvPython = path.join(dir, process.platform === 'win32' ? 'Scripts' : 'bin', 'python')
    // A venv without pip of its own takes a tenth of a second, and PYTHON's pip installs into it
    // (pip 22.3 and newer); an older pip gets a venv with pip, which takes seconds.
    const pipVersion = (await $({ quiet: true })`${python()} -m pip --version`).stdout.match(/^pip (\d+)\.(\d+)/)
    const pipTakesPython = pipVersion !== null && Number(pipVersion[1]) * 100 + Number(pipVersion[2]) >= 2203
    await $`${python()} -m venv ${pipTakesPython ? ['--without-pip'] : []} ${dir}`
    const pip = pipTakesPython ? [python(), '-m', 'pip', '--python', venvPython] : [venvPython, '-m', 'pip']
    const spec = `${name}==${version}`
    // The package from the test index only (with --extra-index-url, pip could take a same-named file from
    // the production index), then its dependencies from the production index.
    const inVenv = $({ cwd: dir })
    // --isolated: no pip.conf or PIP_* variable adds an index or a folder of wheels to look in.
    await inVenv`${pip} --isolated install --no-cache-dir --disable-pip-version-check --no-deps --index-url ${index} ${spec}`
    await inVenv`${pip} install --no-cache-dir --disable-pip-version-check --index-url ${env.PYPI_INDEX_URL!} ${spec}`
    const module = env.PYTHON_IMPORT_NAME || name.replace(/[-.]+/g, '_').toLowerCase()
    // -I: the installed package, never the project's own source folder.
    await inVenv`${venvPython} -I -c ${`import ${module}`}`
    console.log(`${name} ${version} installs from ${bare(index)} and imports (import ${module})`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
