// tasks.config.ts for a Python package, as the Python packaging guides release one: install, clean, build
// (sdist and wheel), check, lint (pre-commit), test (pytest), upload to TestPyPI, install it from there,
// upload to PyPI. Written by `run --init --template python`. Tokens come from .env (git-ignored): see
// .env.example. `run --env TASK` shows every variable a task reads, and the default it uses when unset.
//
//   run release:test   lint and test, clean, build, import the wheel, upload to TestPyPI, install it from there
//   run release:prod   the same (a version already on TestPyPI is checked, not uploaded again), then PyPI gets
//                      the very files TestPyPI holds (same names, same sha256), never a rebuild
//
// Every tool runs through PYTHON (`python -m twine`, `python -m pytest`, …), so the versions `run install`
// put into that Python are the ones used, never an older copy on PATH; and every command runs with PYTHON's
// folder first on PATH (a pre-commit hook with `language: system` finds the venv's ruff). Arguments after a
// task's name go to its tool: `run test -k counts`, `run publish:test --verbose`. `check`, before any upload,
// refuses an sdist that carries runts' own files (package.json, tasks.config.ts, …) and says how to leave them out.
// A release is its files' sha256: a file on an index counts as uploaded only with the same name and digest.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  type CheckContext,
  compareFiles,
  confirmListed,
  describeConflicts,
  distFiles,
  env,
  fetchFromIndex,
  gitClean,
  githubRelease,
  importInFreshVenv,
  listedFiles,
  notPublished,
  PYPI,
  parallel,
  previewVersion,
  pypiToken,
  type ReleaseFile,
  readRelease,
  releaseVersion,
  $ as runts$,
  TEST_PYPI,
  tagMatchesVersion,
  task,
  tokenOrTrustedPublishing,
  uploadToken,
  versionOnIndex,
  wheelModules,
  withPathFirst,
  withSha256,
} from 'runts'

/**
 * The Python to use: PYTHON in .env (a venv's: PYTHON=.venv/bin/python), else python3 on PATH. A relative
 * path is the project's, from its root (this file's folder): the install check runs pip from a temp folder.
 */
const python = () => {
  const chosen = env.PYTHON || 'python3'
  return /[\\/]/.test(chosen) && !path.isAbsolute(chosen) ? path.resolve(import.meta.dirname, chosen) : chosen
}

/** `$` for every command of this file: runts' `$` with PYTHON's folder (a venv's bin/) first on PATH. */
const $ = withPathFirst(runts$, () => (/[\\/]/.test(env.PYTHON ?? '') ? path.dirname(python()) : undefined))

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
  run: ({ args }) =>
    tool('build', () => $`${python()} -m build --sdist --wheel ${(env.PYTHON_BUILD_ARGS ?? '').split(/\s+/).filter(Boolean)} ${args}`),
})

export const check = task({
  description: "Check this version's sdist and wheel (twine check), and that the sdist carries none of runts' own files",
  optional: { PYTHON: 'python3' },
  deps: [build],
  run: async ({ args }) => {
    const files = await distFiles()
    await tool('twine', () => $`${python()} -m twine check ${args} ${files}`)
    for (const sdist of files.filter((file) => file.endsWith('.tar.gz'))) await refuseRunnerFiles(sdist)
  },
})

export const lint = task({
  description: 'Run the pre-commit hooks over every file',
  optional: { PYTHON: 'python3' },
  inputs: sources,
  preflight: [hasPreCommitConfig],
  run: ({ args }) => tool('pre_commit', () => $`${python()} -m pre_commit run --all-files ${args}`),
})

// No inputs: what the tests find depends on what is installed in PYTHON too, so they always run. Outputs:
// what pytest and Python write on every run, so that `run --watch test` does not start again for them.
export const test = task({
  description: 'Run the tests (pytest); arguments go to pytest: run test -k counts',
  optional: { PYTHON: 'python3' },
  outputs: ['.pytest_cache/**', '**/__pycache__/**'],
  run: ({ args }) => tool('pytest', () => $`${python()} -m pytest ${args}`),
})

export const publishTest = task({
  name: 'publish:test',
  description:
    'Install the built wheel into a fresh venv and import it, upload this version to TestPyPI (TEST_PYPI_TOKEN), then install it from there and import it',
  optional: {
    TEST_PYPI_TOKEN: undefined,
    PYTHON: 'python3',
    ...testIndex,
    ...prodIndex,
    PYTHON_IMPORT_NAME: undefined,
    PYTHON_UPLOAD_TIMEOUT: undefined,
  },
  permissions: { 'id-token': 'write' },
  deps: [check],
  // Run on its own, a version already on the test index is refused; run from release:prod, it is promoted.
  preflight: [
    tokenOrTrustedPublishing('TEST_PYPI_TOKEN'),
    sameIndex('TEST_PYPI_URL', 'TEST_PYPI_INDEX_URL', TEST_PYPI),
    testIsNotProduction,
    pypiToken('TEST_PYPI_TOKEN', 'TEST_PYPI_URL', TEST_PYPI.uploadUrl),
    uploadTimeoutIsSeconds,
    versionNotOnTestIndex,
  ],
  run: async ({ args, target }) => {
    const release = await readRelease()
    const files = await withSha256(await distFiles(release))
    const modules = await importsOf(files)
    await importBuiltWheel(files, modules)
    const index = env.TEST_PYPI_INDEX_URL!
    const { found, missing, where } = await againstIndex(
      index,
      release,
      files,
      'The test index holds another build of this version than this one',
    )
    if (found.length === 0) {
      await upload(env.TEST_PYPI_URL!, env.TEST_PYPI_TOKEN, files, args, index, release)
    } else if (promoting({ target })) {
      console.log(`${release.name} ${release.version} is already on ${where} (same sha256): not uploaded again, checking that it installs`)
      if (missing.length > 0) await upload(env.TEST_PYPI_URL!, env.TEST_PYPI_TOKEN, missing, args, index, release)
    } else {
      throw new Error(`${release.name} ${release.version} is already on ${where}: bump the version`)
    }
    await installAndImport(release, modules)
  },
})

export const publishProd = task({
  name: 'publish:prod',
  description:
    'Upload to PyPI (PYPI_TOKEN) the very files TestPyPI holds for this version (sha256 checked), from a clean tree whose HEAD carries the version tag',
  optional: {
    PYPI_TOKEN: undefined,
    PYTHON: 'python3',
    ...prodIndex,
    ...testIndex,
    PYTHON_IMPORT_NAME: undefined,
    PYTHON_UPLOAD_TIMEOUT: undefined,
    RELEASE_SKIP_TEST_INDEX: undefined,
  },
  permissions: { 'id-token': 'write' },
  // No build: what goes to PyPI is what the test index holds, never a rebuild (or, with RELEASE_SKIP_TEST_INDEX=1, dist/).
  preflight: [
    tokenOrTrustedPublishing('PYPI_TOKEN'),
    sameIndex('PYPI_URL', 'PYPI_INDEX_URL', PYPI),
    pypiToken('PYPI_TOKEN', 'PYPI_URL', PYPI.uploadUrl),
    uploadTimeoutIsSeconds,
    gitClean(),
    tagMatchesVersion(),
    testedAndNotOnPyPI,
  ],
  confirm: async (context) => {
    const { name, version } = await readRelease({ cwd: context.cwd })
    const url = context.env?.PYPI_URL ?? PYPI.uploadUrl
    const where = url === PYPI.uploadUrl ? `PyPI (${url})` : bare(url)
    if (skipTestIndex(context))
      return `Upload ${name} ${version} to ${where} from dist/, never checked on the test index (RELEASE_SKIP_TEST_INDEX=1)?`
    return `Upload ${name} ${version} to ${where}?`
  },
  run: async ({ args }) => {
    const release = await readRelease()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'publish-prod-'))
    try {
      // The bytes the test index holds, each checked against the sha256 it lists; or, when told to skip it, dist/.
      const files = skipTestIndex()
        ? await withSha256(await distFiles(release))
        : await fetchFromIndex({ index: env.TEST_PYPI_INDEX_URL!, ...release }, dir)
      if (!skipTestIndex())
        console.log(
          `${release.name} ${release.version}: ${files.map((f) => f.filename).join(', ')} from ${bare(env.TEST_PYPI_INDEX_URL!)} (sha256 checked)`,
        )
      await importBuiltWheel(files, await importsOf(files))
      // An upload that stopped half-way (the wheel went up, the sdist did not): PyPI takes the missing files.
      const index = env.PYPI_INDEX_URL!
      const { found, missing, where } = await againstIndex(index, release, files, 'The index holds other bytes under this name')
      if (missing.length === 0) throw new Error(`${release.name} ${release.version} is already on ${where}: bump the version`)
      if (found.length > 0)
        console.log(`${release.name} ${release.version} is partly on ${where} (${found.join(', ')}, same sha256): uploading the rest`)
      await upload(env.PYPI_URL!, env.PYPI_TOKEN, missing, args, index, release)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
})

export const releaseTest = task({
  name: 'release:test',
  description: 'lint and test, clean, build, publish:test',
  deps: [parallel(lint, test), clean, build, publishTest],
  // `run release:test --verbose`: the arguments go on to the upload.
  argsTo: [publishTest],
})

export const releaseProd = task({
  name: 'release:prod',
  description:
    'release:test (a version already on TestPyPI is checked, not uploaded again), then publish:prod, then publish:github (GITHUB_TOKEN)',
  // In CI, the workflow's job runs `run install` first (a fresh runner has none of the tools). On a push to main
  // once verify passed, it runs `run version` first, pushes the release commit and tag, and goes on only when there is one.
  ci: { on: ['push', 'release', 'dispatch'], branches: ['main'], needs: ['verify'], version: 'version' },
  deps: [releaseTest, publishProd, 'publish:github'],
  // `run release:prod --verbose`: the arguments go on to both uploads (release:test passes them to publish:test).
  argsTo: [releaseTest, publishProd],
})

export const verify = task({
  description: 'lint and test, then build and check this version (what CI runs on every push and pull request)',
  ci: ['push', 'pull_request'],
  deps: [parallel(lint, test), check],
})

/**
 * How this version's files stand on an index: the names it has with the same sha256 (`found`), the files
 * it lacks (`missing`). A file it has under the same name with another sha256 is an error naming both:
 * an index never replaces a file, so such a version is never resumed there.
 */
async function againstIndex(index: string, release: { name: string; version: string }, files: ReleaseFile[], why: string) {
  const standing = compareFiles(files, listedFiles(await versionOnIndex({ index, ...release })))
  const where = bare(index)
  if (standing.conflicts.length > 0) {
    throw new Error(
      `${release.name} ${release.version}: ${describeConflicts(standing.conflicts, where)}. ${why}, and an index never ` +
        'replaces a file: bump the version and release again (on a self-hosted index you may delete that file there instead); nothing more was uploaded',
    )
  }
  return { found: standing.same.map((f) => f.filename), missing: standing.missing, where }
}

/** Run from release:prod, publish:test promotes: a version already on the test index is checked, not uploaded again. */
function promoting(context?: { target?: string | undefined }): boolean {
  return context?.target === 'release:prod'
}

/** A check: uploads and installs (and the "not yet published" check) use one index, not one of each (a trailing slash aside). */
function sameIndex(uploadVar: string, indexVar: string, known: { uploadUrl: string; indexUrl: string }) {
  return function uploadAndIndexAgree(context?: CheckContext) {
    const upload = context?.env?.[uploadVar] || known.uploadUrl
    const index = context?.env?.[indexVar] || known.indexUrl
    if ((folder(upload) === folder(known.uploadUrl)) === (folder(index) === folder(known.indexUrl))) return undefined
    return `${uploadVar} (${bare(upload)}) and ${indexVar} (${bare(index)}) name different indexes: set both (pypiserver: its / and its /simple/)`
  }
}

/**
 * A check: the test index is not the production one (a .env line copied from one to the other), or
 * publish:test would upload there before any install check, and publish:prod would find it done.
 */
function testIsNotProduction(context?: CheckContext) {
  const vars = context?.env ?? {}
  const pairs = [
    ['TEST_PYPI_URL', TEST_PYPI.uploadUrl, 'PYPI_URL', PYPI.uploadUrl],
    ['TEST_PYPI_INDEX_URL', TEST_PYPI.indexUrl, 'PYPI_INDEX_URL', PYPI.indexUrl],
  ] as const
  for (const [testVar, testDefault, prodVar, prodDefault] of pairs) {
    const test = folder(vars[testVar] || testDefault)
    if (test !== folder(vars[prodVar] || prodDefault)) continue
    return (
      `${testVar} and ${prodVar} both name ${test}: publish:test would upload to the production index, untested. ` +
      `Give ${testVar} the test index's URL (pypiserver: its / to upload to, its /simple/ to read from)`
    )
  }
  return undefined
}

/** A URL as printed (`bare`), with one trailing slash: `http://host/simple` and `http://host/simple/` are one index. */
function folder(url: string): string {
  return bare(url).replace(/\/*$/, '/')
}

/** A check: pre-commit has hooks to run. */
function hasPreCommitConfig(context?: CheckContext) {
  if (existsSync(path.join(context?.cwd ?? '.', '.pre-commit-config.yaml'))) return undefined
  return 'no .pre-commit-config.yaml: write one (run --init writes a starter), or take lint out of release:test'
}

/**
 * A check: what publish:prod would upload was tested and is not on PyPI yet. The test index holds this
 * version (run from release:prod, publish:test puts it there first); PyPI lacks some of its files (an
 * upload that stopped half-way gets the rest) and holds none of them with another sha256; and run on its
 * own, publish:prod finds in dist/ no other build of the version than the test index's.
 */
async function testedAndNotOnPyPI(context?: CheckContext) {
  const release = await readRelease({ cwd: context?.cwd })
  const local = await distFiles({ ...release, cwd: context?.cwd }).then(withSha256, () => [] as ReleaseFile[])
  const tested = await versionOnIndex({ index: env.TEST_PYPI_INDEX_URL!, ...release })
  const skip = skipTestIndex(context)
  if (!skip && tested.length === 0 && !promoting(context)) {
    return (
      `${release.name} ${release.version} is not on the test index (${bare(env.TEST_PYPI_INDEX_URL!)}): only what went through it goes to PyPI. ` +
      'Run release:prod (it uploads there first), or set RELEASE_SKIP_TEST_INDEX=1 to upload dist/ without it'
    )
  }
  if (!skip && local.length > 0 && context?.target === 'publish:prod') {
    const standing = compareFiles(local, listedFiles(tested))
    const untested = standing.missing.map((f) => `${f.filename} is not on ${bare(env.TEST_PYPI_INDEX_URL!)}`)
    if (standing.conflicts.length + untested.length > 0) {
      return (
        `dist/ holds another build of ${release.name} ${release.version} than the test index: ` +
        `${[describeConflicts(standing.conflicts, bare(env.TEST_PYPI_INDEX_URL!)), ...untested].filter(Boolean).join('; ')}. ` +
        'publish:prod uploads what the test index holds, and an index never replaces a file: bump the version to release this build'
      )
    }
  }
  const reference = skip || tested.length === 0 ? local : tested.map((f) => ({ filename: f.filename, path: '', digest: f.sha256 ?? '' }))
  const onPyPI = listedFiles(await versionOnIndex({ index: env.PYPI_INDEX_URL!, ...release }))
  const standing = compareFiles(reference, onPyPI)
  if (standing.conflicts.length > 0) {
    return `${describeConflicts(standing.conflicts, bare(env.PYPI_INDEX_URL!))}: the index holds other bytes under this name and never replaces a file: bump the version`
  }
  const whole = onPyPI.some((f) => f.filename.endsWith('.whl')) && onPyPI.some((f) => f.filename.endsWith('.tar.gz'))
  if (reference.length > 0 ? standing.missing.length === 0 : whole) {
    const published = await notPublished(() => ({ index: env.PYPI_INDEX_URL }))(context)
    if (!published || reference.length === 0) return published
    // The same bytes: the release went through, and a later step (publish:github) may be what failed.
    const source = skip || tested.length === 0 ? "dist/'s" : 'the test index lists'
    return `${published}. But its files there have the sha256 ${source}: if only its GitHub release is missing (publish:github failed), run publish:github`
  }
  return undefined
}

/** A check: the version is not on the test index yet, unless release:prod promotes it from there. */
function versionNotOnTestIndex(context?: CheckContext) {
  return promoting(context) ? undefined : notPublished(() => ({ index: env.TEST_PYPI_INDEX_URL }))(context)
}

// What runts brings into a Python project (package.json and its lock are runts' own here, made by
// `npm i -D runts`; tsconfig.json, by `run --init` for the editor when runts comes from PyPI; the workflow
// `run --ci github` writes), and a .env file at any depth (`.env`, `.env.production`, direnv's `.envrc`: tokens): none of it
// belongs in an sdist. The list is yours to change.
const RUNNER_FILES =
  /^(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|tsconfig\.json|tasks\.config\.[cm]?[jt]s|\.github\/workflows\/runts\.yml)$|(?:^|\/)\.env[^/]*$/

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

/** RELEASE_SKIP_TEST_INDEX=1: publish:prod uploads dist/ as it is, without the test index. */
function skipTestIndex(context?: CheckContext): boolean {
  return (context?.env ?? env).RELEASE_SKIP_TEST_INDEX === '1'
}

/**
 * twine upload of these files only, as __token__ (the token in twine's environment, never on its command
 * line); then the index must list each with the sha256 uploaded. When twine fails because another run
 * uploaded some of the files meanwhile (two release:prod at once), those the index lists with our sha256
 * are done and the rest is tried once more; a file there with another sha256 fails, naming both digests.
 */
async function upload(
  repositoryUrl: string,
  token: string | undefined,
  files: ReleaseFile[],
  args: string[],
  index: string,
  release: { name: string; version: string },
) {
  // With the token variable empty under GitHub Actions (id-token: write), the index's trusted publishing mints one.
  const password = await uploadToken(token, { uploadUrl: repositoryUrl })
  const seconds = uploadTimeout() ?? DEFAULT_UPLOAD_TIMEOUT // checked before the run
  // PYTHON_UPLOAD_TIMEOUT=0: twine as it is, without a timeout.
  const twineCommand = seconds === 0 ? ['-m', 'twine'] : ['-c', TWINE_BOUNDED, String(seconds)]
  const twine = async (some: ReleaseFile[]) => {
    try {
      await tool(
        'twine',
        () =>
          $({
            env: { ...env, TWINE_USERNAME: '__token__', TWINE_PASSWORD: password },
          })`${python()} ${twineCommand} upload --non-interactive --disable-progress-bar --repository-url ${repositoryUrl} ${args} ${some.map((f) => f.path)}`,
      )
    } catch (error) {
      const { stderr } = error as { stderr?: unknown }
      const timedOut = typeof stderr === 'string' ? /\b(ReadTimeout|ConnectTimeout)\b|timed out/.exec(stderr)?.[0] : undefined
      if (!timedOut) throw error
      const what =
        timedOut === 'ConnectTimeout'
          ? `did not take a connection: each of twine's tries (6) waited ${seconds} s`
          : `stopped answering: a step of the upload (sending a block of it, or waiting for the answer) took over ${seconds} s`
      throw new Error(
        `${bare(repositoryUrl)} ${what} (PYTHON_UPLOAD_TIMEOUT), so the upload was stopped. ` +
          'Run the same task again once the index answers: what it holds is checked by sha256, and only missing files are uploaded',
      )
    }
  }
  try {
    await twine(files)
  } catch (error) {
    const { same, missing, conflicts } = compareFiles(files, listedFiles(await versionOnIndex({ index, ...release }).catch(() => [])))
    if (same.length === 0 || conflicts.length > 0) throw error
    console.log(`${bare(index)} lists ${same.map((f) => f.filename).join(', ')} with the same sha256: another run uploaded them`)
    if (missing.length > 0) await twine(missing)
  }
  await confirmListed({ index, ...release }, files)
}

/**
 * `python -m twine`, with a timeout on every request it makes: twine sets none, so an index that stops
 * answering held an upload (and a CI job) for ever. requests' timeout bounds each step, not the whole
 * upload: connecting, sending each block of the body (16 kB), waiting for the answer.
 */
const TWINE_BOUNDED =
  'import sys;t=float(sys.argv.pop(1));import twine.__main__ as m,requests as r;s=r.Session.request;' +
  "r.Session.request=lambda o,*a,**k:s(o,*a,**{**k,'timeout':k.get('timeout') or t});sys.exit(m.main())"

const DEFAULT_UPLOAD_TIMEOUT = 120
/** A day: longer than any step of an upload, and what Python's timers take. */
const MAX_UPLOAD_TIMEOUT = 86_400

/** PYTHON_UPLOAD_TIMEOUT: the seconds a step of an upload may take (default 120; 0: no limit); undefined when it is not that. */
function uploadTimeout(vars: Readonly<Record<string, string | undefined>> = env): number | undefined {
  const given = vars.PYTHON_UPLOAD_TIMEOUT?.trim()
  if (!given) return DEFAULT_UPLOAD_TIMEOUT
  if (!/^\d+(\.\d+)?$/.test(given)) return undefined
  const seconds = Number(given)
  return seconds <= MAX_UPLOAD_TIMEOUT ? seconds : undefined
}

/** A check: PYTHON_UPLOAD_TIMEOUT, when set, is a number of seconds. */
function uploadTimeoutIsSeconds(context?: CheckContext) {
  if (uploadTimeout(context?.env ?? {}) !== undefined) return undefined
  return (
    `PYTHON_UPLOAD_TIMEOUT is ${JSON.stringify(context?.env?.PYTHON_UPLOAD_TIMEOUT)}: give it in seconds, ` +
    `like ${DEFAULT_UPLOAD_TIMEOUT}, at most ${MAX_UPLOAD_TIMEOUT} (0: no limit)`
  )
}

/** The package `run install` puts into PYTHON for each module the tasks run with `python -m`. */
const TOOLS: Record<string, string> = { build: 'build', twine: 'twine', pre_commit: 'pre-commit', pytest: 'pytest' }

/**
 * Runs `command` (`PYTHON -m module …`); when PYTHON lacks the module (no `run install` yet, or PYTHON is
 * not the venv's), fails saying so and what to do, where Python only says "No module named …".
 */
async function tool<T>(module: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command()
  } catch (error) {
    const { stderr } = error as { stderr?: unknown }
    // Python's own words for `-m` (`/path/python: No module named pytest`), or an import's (`No module named 'twine'`).
    if (typeof stderr !== 'string' || !new RegExp(`: No module named '?${module}'?$`, 'm').test(stderr)) throw error
    throw new Error(
      `${python()} has no ${TOOLS[module] ?? module} (No module named ${module}): run \`run install\`, which installs the tools into PYTHON, ` +
        'or set PYTHON in .env to the python that has them (PYTHON=.venv/bin/python)',
    )
  }
}

/** The modules to import: PYTHON_IMPORT_NAME (several: `a,b`), else the wheel's own top-level modules. */
async function importsOf(files: ReleaseFile[]): Promise<string[]> {
  if (env.PYTHON_IMPORT_NAME) return env.PYTHON_IMPORT_NAME.split(/[\s,]+/).filter(Boolean)
  const wheel = files.find((f) => f.filename.endsWith('.whl'))
  return wheel ? wheelModules(python(), wheel.path) : []
}

const importedWheels = new Set<string>()

/** Before any upload: the wheel, from the local file, into a fresh venv (its dependencies from PYPI_INDEX_URL), and its modules imported. */
async function importBuiltWheel(files: ReleaseFile[], modules: string[]): Promise<void> {
  const wheel = files.find((f) => f.filename.endsWith('.whl'))
  if (wheel === undefined) return console.log('no wheel among the files: the import check before the upload is skipped')
  if (importedWheels.has(wheel.digest)) return
  await importInFreshVenv({
    python: python(),
    installs: [['--index-url', env.PYPI_INDEX_URL || PYPI.indexUrl, wheel.path]],
    modules,
    hint:
      `${wheel.filename} installs but does not import; nothing was uploaded. A module it cannot find is a dependency to declare in pyproject.toml; ` +
      `the modules imported are the wheel's own (${modules.join(', ') || 'none found'}): set PYTHON_IMPORT_NAME to import others`,
  })
  importedWheels.add(wheel.digest)
  console.log(`${wheel.filename} installs into a fresh venv and imports (import ${modules.join(', ')})`)
}

/**
 * The guides' last step: install the uploaded version from the test index into a fresh venv and import it.
 * The package from the test index only (with --extra-index-url, pip could take a same-named file from the
 * production index), with pip checking each file against the sha256 the index lists; then its dependencies
 * from the production index (they are rarely on TestPyPI).
 */
async function installAndImport({ name, version }: { name: string; version: string }, modules: string[]): Promise<void> {
  const index = env.TEST_PYPI_INDEX_URL!
  const spec = `${name}==${version}`
  await importInFreshVenv({
    python: python(),
    installs: [
      ['--no-deps', '--index-url', index, spec],
      ['--index-url', env.PYPI_INDEX_URL!, spec],
    ],
    modules,
    hint: 'set PYTHON_IMPORT_NAME to the module(s) to import',
  })
  console.log(`${name} ${version} installs from ${bare(index)} and imports (import ${modules.join(', ')})`)
}

// Version, changelog and GitHub release, as the packaging course releases from CI: commits say what changed
// (`feat: …`, `fix: …`); `run version` turns them into the next version, a CHANGELOG.md section, the commit
// `chore(release): vX.Y.Z` and the tag; release:prod then uploads, and ends with the GitHub release.

export const version = task({
  description:
    'The next version from the Conventional Commits since the last v* tag (or: patch, minor, major, prerelease [rc|b|a], X.Y.Z): written to pyproject.toml and CHANGELOG.md, committed, tagged; pushes nothing',
  permissions: { contents: 'write' },
  preflight: [gitClean()],
  preview: ({ args }) => previewVersion({ bump: args[0], preid: args[1], kind: 'python' }),
  run: async ({ args }) => {
    await releaseVersion({ bump: args[0], preid: args[1], kind: 'python' })
  },
})

export const publishGithub = task({
  name: 'publish:github',
  description:
    "The GitHub release of v<version> (GITHUB_TOKEN): its notes the version's CHANGELOG.md section, its assets the files PyPI holds (sha256 checked)",
  optional: { GITHUB_TOKEN: undefined, GITHUB_REPOSITORY: undefined, GITHUB_API_URL: undefined, PYPI_INDEX_URL: PYPI.indexUrl },
  permissions: { contents: 'write' },
  // Run on its own it needs the token; release:prod ends with it when the token is there, and says so when not.
  preflight: [githubTokenUnlessReleaseProd],
  run: async () => {
    if (!env.GITHUB_TOKEN) {
      console.log('GITHUB_TOKEN is not set: skipped publish:github (no GitHub release); set it to make one')
      return
    }
    const release = await readRelease()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'publish-github-'))
    try {
      // The very files published, never a rebuild in dist/: what PyPI holds, each checked against the sha256 it lists.
      const files = await fetchFromIndex({ index: env.PYPI_INDEX_URL!, ...release }, dir)
      await githubRelease({ files: files.map((file) => file.path), kind: 'python' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
})

/** A check: publish:github on its own needs GITHUB_TOKEN; run from release:prod, it skips itself without. */
function githubTokenUnlessReleaseProd(context?: CheckContext) {
  if (context?.target === 'release:prod' || context?.env?.GITHUB_TOKEN) return undefined
  return 'GITHUB_TOKEN is not set: give a token that may write releases (a fine-grained token with Contents: write), in .env or the environment'
}
