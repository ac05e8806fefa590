// runts for PyPI: the wheel (runts-VERSION-py3-none-any.whl) and the sdist, built into dist-pack/ beside
// the npm tarball that `build` packed there, with the same version. A copy of python/ gets the packed
// npm package (the very bytes npm ships) in src/runts/node/, with the packages its code imports at run
// time (the locked copies of node_modules/, less esbuild: Node 24 strips types itself, and esbuild's
// binary is one platform's), among them the types a tasks file is checked against (@types/node, which
// runts depends on for its declarations; an editor gets them from a project's .runts/). Then
// `python -m build` (hatchling) turns that copy into both files. The Python tools are the test env's
// (scripts/python-env.mjs), pinned in test/python/requirements.txt.
//   usage: node scripts/wheel.mjs    (after npm pack into dist-pack/; prints the two files)
import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensurePythonEnv } from './python-env.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const distPack = path.join(root, 'dist-pack')

/** Packages of the npm package's run-time tree that the wheel leaves out. */
const LEFT_OUT = /^(?:esbuild|@esbuild\/.*)$/

/** The folder to build from, `dir`: python/ and the npm package of `tarball`. */
export function stage(dir, tarball) {
  if (!existsSync(tarball)) throw new Error(`${path.relative(root, tarball)} is not there: pack it first (npx run build)`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  cpSync(path.join(root, 'python'), dir, { recursive: true })
  const payload = path.join(dir, 'src', 'runts', 'node')
  mkdirSync(payload, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', payload, '--strip-components=1'])
  for (const dependency of runtimePackages()) {
    cpSync(path.join(root, 'node_modules', dependency), path.join(payload, 'node_modules', dependency), {
      recursive: true,
      // Source maps and a debug build: nothing runs them, and they are most of the bytes.
      filter: (source) => !source.endsWith('.map') && !source.includes(`${path.sep}web-tree-sitter${path.sep}debug`),
    })
  }
  const launcher = readFileSync(path.join(root, 'python', 'scripts', 'run'), 'utf8').replaceAll('@VERSION@', version)
  for (const command of ['run', 'runts']) {
    writeFileSync(path.join(dir, 'scripts', command), launcher)
    chmodSync(path.join(dir, 'scripts', command), 0o755)
  }
  cpSync(path.join(root, 'README.md'), path.join(dir, 'README.md'))
  cpSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'))
  return dir
}

/**
 * The npm package's run-time dependencies, as installed from the lock: folders under node_modules/
 * (nested ones too), from `npm ls --omit=dev`, less what the wheel leaves out.
 */
function runtimePackages() {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' })
  const modules = `${path.join(root, 'node_modules')}${path.sep}`
  return listed
    .split('\n')
    .filter((line) => line.startsWith(modules))
    .map((line) => line.slice(modules.length).split(path.sep).join('/'))
    .filter((dependency) => !LEFT_OUT.test(dependency.replace(/^.*node_modules\//, '')))
}

/**
 * Build the wheel and the sdist of `tarball` (dist-pack/'s) into `out` (dist-pack/); resolves to their
 * paths. `stageDir`: where the folder they are built from is made.
 */
export async function buildWheel({
  tarball = path.join(distPack, `${name}-${version}.tgz`),
  out = distPack,
  stageDir = path.join(root, 'node_modules', '.cache', 'runts-wheel', 'stage'),
} = {}) {
  const staged = stage(stageDir, tarball)
  const { python } = await ensurePythonEnv()
  for (const old of readdirSync(out).filter((file) => /^runts-.*\.(whl|tar\.gz)$/.test(file))) rmSync(path.join(out, old))
  // --no-isolation: hatchling from the pinned env, not a fresh download on every build.
  execFileSync(python, ['-m', 'build', '--no-isolation', '--sdist', '--wheel', '--outdir', out, staged], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const files = [`${name}-${version}-py3-none-any.whl`, `${name}-${version}.tar.gz`].map((file) => path.join(out, file))
  for (const file of files) if (!existsSync(file)) throw new Error(`python -m build wrote no ${path.relative(root, file)}`)
  return files
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of await buildWheel()) console.log(path.relative(root, file))
}
