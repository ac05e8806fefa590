/**
 * The generated workflow, run as written: each sample project writes its own
 * with `run --ci github` (its runts, installed as a user installs it), and a
 * stand-in runner (helpers/workflow-runner.ts) executes each job's `run:` steps
 * in a fresh copy of it, with GITHUB_ACTIONS=true, a step summary file, and the
 * step's env filled from a fake secret store. `npm ci`, the project's `install`
 * and the task run for real (runts is a local package, so npm downloads
 * nothing). The `uses:` steps are stubbed, each doing locally what the action does:
 *   actions/checkout      copies the sample's committed files (not .env, not node_modules)
 *   actions/setup-node    the Node running these tests; checks the version file exists and,
 *                         with `cache: npm`, that there is a lock file (setup-node fails otherwise)
 *   actions/setup-python  the Python test env (scripts/python-env.mjs: build, setuptools, wheel,
 *                         twine) first on PATH, as python and python3; checks the version file exists
 * because the real actions download Node, Python and caches from the network.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actionlint } from '../helpers/actionlint.js'
import { repo, runProcess } from '../helpers/project.js'
import { pythonEnv } from '../helpers/python.js'
import { type JobResult, runJob, type Store, type Stub } from '../helpers/workflow-runner.js'
import { nodeSample, pythonSample } from './ci-samples.js'

let temp: string
let pythonBin: string
const results: JobResult[] = []
beforeAll(async () => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'runts-ci-sim-'))
  runtsPackage()
  pythonBin = (await pythonEnv()).bin
}, 300_000)
afterAll(() => {
  for (const r of results) rmSync(r.root, { recursive: true, force: true })
  rmSync(temp, { recursive: true, force: true })
})

const store: Store = {
  secrets: { NPM_TOKEN: 'npm_fakeStoreToken0123456789', PYPI_TOKEN: 'pypi-fakeStoreToken0123456789', UNUSED_TOKEN: 'never-asked-for' },
  vars: { REGISTRY_URL: 'https://registry.example.test/', PYPI_URL: 'https://upload.pypi.example.test/legacy/' },
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * runts as a registry install has it: its manifest without scripts (so no `prepare` build) over
 * this checkout's dist/. Outside the sample, so that npm links it and, finding its dependencies in
 * this checkout's node_modules, fetches nothing.
 */
function runtsPackage(): string {
  const dir = path.join(temp, 'runts-package')
  mkdirSync(dir)
  const { scripts: _, devDependencies: __, ...manifest } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'))
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  for (const link of ['dist', 'node_modules', 'tasks']) symlinkSync(path.join(repo, link), path.join(dir, link))
  return dir
}

/**
 * A sample project's files, with runts as a dev dependency (`file:../runts-package`) installed, npm's
 * lock file, and a developer's .env that is never committed.
 */
function sample(name: string, files: Record<string, string>): string {
  const dir = path.join(temp, name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  const manifest = JSON.parse(files['package.json'] ?? '{}')
  manifest.devDependencies = { runts: 'file:../runts-package' }
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' })
  // The job must get its values from the store instead, and the workflow must not hold these.
  writeFileSync(path.join(dir, '.env'), `NPM_TOKEN=${DOT_ENV_VALUE}\nPYPI_TOKEN=${DOT_ENV_VALUE}\n`)
  return dir
}

const DOT_ENV_VALUE = 'from-dot-env-never-used'
const WORKFLOW = '.github/workflows/runts.yml'

/** `run --ci github` by the sample's own runts, as its developer runs it before committing. */
async function writeWorkflow(dir: string): Promise<string> {
  const r = await runProcess('npm', ['exec', '--no', '--', 'run', '--ci', 'github'], { cwd: dir })
  expect(r.code, r.stderr).toBe(0)
  expect(r.stderr).toContain(`wrote ${WORKFLOW}`)
  return readFileSync(path.join(dir, WORKFLOW), 'utf8')
}

function stubs(source: string): Record<string, Stub> {
  return {
    'actions/checkout': (_inputs, runner) => {
      const ignored = new Set(['.env', 'node_modules'].map((name) => path.join(source, name)))
      cpSync(source, runner.workspace, { recursive: true, filter: (file) => !ignored.has(file) })
    },
    'actions/setup-node': (inputs, runner) => {
      const file = inputs['node-version-file']
      if (file) expect(existsSync(path.join(runner.workspace, String(file))), `${file} in the checkout`).toBe(true)
      else expect(inputs['node-version']).toBeTruthy()
      if (inputs.cache === 'npm') expect(existsSync(path.join(runner.workspace, 'package-lock.json'))).toBe(true)
    },
    'actions/setup-python': (inputs, runner) => {
      const file = inputs['python-version-file']
      if (file) expect(existsSync(path.join(runner.workspace, String(file))), `${file} in the checkout`).toBe(true)
      runner.path.unshift(pythonBin)
    },
  }
}

async function simulate(workflow: string, job: string, source: string, edit = (text: string) => text): Promise<JobResult> {
  // Workspaces beside the sample, so that its lock file's `../runts-package` resolves from them too.
  const result = await runJob(edit(workflow), job, { stubs: stubs(source), store, workspaceIn: temp })
  results.push(result)
  return result
}

const output = (r: JobResult) => r.steps.map((s) => `--- ${s.name} (exit ${s.code})\n${s.output}`).join('\n')
const read = (r: JobResult, file: string) => readFileSync(path.join(r.workspace, file), 'utf8')

/** The step summary's tables: per runts run, its heading and its rows as `task status`. */
function summaryTables(markdown: string): Array<{ heading: string; rows: string[] }> {
  return markdown
    .split(/^(?=### runts: )/m)
    .filter((part) => part.startsWith('### runts: '))
    .map((part) => {
      const lines = part.split('\n')
      const rows = lines
        .filter((l) => /^\| (?!task \||:---)/.test(l))
        .map((l) =>
          l
            .split('|')
            .slice(1, 3)
            .map((c) => c.trim())
            .join(' '),
        )
      expect(lines.slice(1, 4)).toEqual(['', '| task | status | time | exit code |', '| :--- | :--- | ---: | ---: |'])
      return { heading: lines[0]!, rows }
    })
}

describe.each([
  {
    kind: 'Node',
    files: nodeSample,
    release: 'release',
    token: 'NPM_TOKEN',
    url: 'REGISTRY_URL',
    install: [],
    checkRows: ['lint ✅ ok', 'test ✅ ok', 'check ✅ ok'],
    releaseRows: ['lint ✅ ok', 'test ✅ ok', 'check ✅ ok', 'publish ✅ ok', 'release ✅ ok'],
  },
  {
    kind: 'Python',
    files: pythonSample,
    release: 'release-prod',
    token: 'PYPI_TOKEN',
    url: 'PYPI_URL',
    install: ['run install'],
    checkRows: ['build ✅ ok', 'check ✅ ok'],
    releaseRows: ['build ✅ ok', 'check ✅ ok', 'publish:prod ✅ ok', 'release:prod ✅ ok'],
  },
])(
  'a $kind project, its workflow run as written',
  ({ kind, files, release, token, url, install, checkRows, releaseRows }) => {
    let source: string
    let workflow: string
    beforeAll(async () => {
      source = sample(kind.toLowerCase(), files)
      workflow = await writeWorkflow(source)
      expect(workflow).not.toContain(DOT_ENV_VALUE)
      expect(await actionlint(workflow)).toEqual([])
    })

    it('runs the check job: installs, runs the task under GitHub Actions with no secret, and appends a table per run to the step summary', async () => {
      const r = await simulate(workflow, 'check', source)
      expect(r.code, output(r)).toBe(0)
      const setUp = kind === 'Python' ? ['Check out', 'Set up Node', 'Set up Python'] : ['Check out', 'Set up Node']
      expect(r.steps.map((s) => s.name)).toEqual([...setUp, 'Install', ...install, 'run check'])
      expect(r.steps.at(-1)!.output).toContain('::group::')
      expect(JSON.parse(read(r, 'check-env.json'))).toEqual([])
      const expected = install.length > 0 ? [{ heading: '1 task (1 ok)', rows: ['install ✅ ok'] }] : []
      expected.push({ heading: `${checkRows.length} tasks (${checkRows.length} ok)`, rows: checkRows })
      const tables = summaryTables(r.summary)
      expect(tables.map((t) => ({ heading: t.heading.replace(/^### runts: (.*) in \S+$/, '$1'), rows: t.rows }))).toEqual(expected)
    })

    it('runs the release job: --yes answers the confirm, the secret and the variable come from the store', async () => {
      const r = await simulate(workflow, release, source)
      expect(r.code, output(r)).toBe(0)
      expect(r.steps.map((s) => s.name).slice(-1 - install.length)).toEqual([...install, `run ${release.replace('-', ':')}`])
      expect(read(r, 'published.txt')).toBe(`${store.vars[url]} ${sha256(store.secrets[token]!)}\n`)
      // runts announces the secret to GitHub, which masks it in the log; nothing else shows it.
      const lines = output(r).split('\n')
      expect(lines).toContain(`::add-mask::${store.secrets[token]}`)
      expect(lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain(store.secrets[token])
      expect(summaryTables(r.summary).at(-1)!.rows).toEqual(releaseRows)
      expect(r.summary).not.toContain(store.secrets[token])
    })

    it('fails the release job without --yes, and without the secret (so the passes above are not vacuous)', async () => {
      const noYes = await simulate(workflow, release, source, (text) => text.replaceAll(' --yes ', ' '))
      expect(noYes.code).toBe(2)
      expect(noYes.steps.at(-1)!.output).toMatch(/confirm/i)
      const noSecret = await simulate(workflow, release, source, (text) => text.replaceAll(`secrets.${token}`, 'secrets.MISSING_ONE'))
      expect(noSecret.code).toBe(2)
      expect(noSecret.steps.at(-1)!.output).toContain(`${token}  (needed by`)
    })

    if (install.length > 0) {
      it('needs the install step: without it, check fails on the fresh runner', async () => {
        const r = await simulate(workflow, 'check', source, (text) => text.replace(/\n {6}- name: run install\n {8}run: [^\n]*/g, ''))
        expect(r.steps.map((s) => s.name)).not.toContain('run install')
        // The shell's "command not found", passed on by runts.
        expect(r.code, output(r)).toBe(127)
        expect(r.steps.at(-1)!.output).toMatch(/\.venv\/bin\/python: (No such file or directory|not found)/)
      })
    }
  },
  120_000,
)
