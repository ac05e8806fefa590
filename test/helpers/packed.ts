/**
 * The packed tarball (`npm pack`), installed with npm into a fresh project,
 * as a user gets it. Packing rewrites package.json for a moment (prepack), so
 * test files share one tarball per build of dist/, made under a lock.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { until } from './processes.js'
import { type Result, type RunOptions, repo, runProcess } from './project.js'

/** The tarball of the current dist/, packed once. */
export async function tarball(): Promise<string> {
  const stamp = readdirSync(path.join(repo, 'dist'))
    .map((f) => statSync(path.join(repo, 'dist', f)).mtimeMs)
    .reduce((a, b) => Math.max(a, b), 0)
  const dir = path.join(repo, 'node_modules', '.cache', 'runts-test-pack', String(Math.floor(stamp)))
  const done = path.join(dir, 'done')
  const lock = `${dir}.lock`
  mkdirSync(path.dirname(dir), { recursive: true })
  try {
    mkdirSync(lock)
  } catch {
    await until(() => existsSync(done) || !existsSync(lock), 120_000, 'another test file to pack runts')
    if (existsSync(done)) return path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)
    return tarball()
  }
  try {
    // Packed by another test file between our look and our lock: repacking would pull the tarball from
    // under its npm install (ENOENT, "tarball data seems to be corrupted").
    if (existsSync(done)) return path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: repo, stdio: 'ignore' })
    writeFileSync(done, '')
    return path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** Runs `fn` holding a lock (a folder holding its owner's pid); a lock whose owner is gone is taken over. */
export async function withLock<T>(lock: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  const owner = path.join(lock, 'pid')
  const ownerGone = () => {
    try {
      process.kill(Number(readFileSync(owner, 'utf8')), 0)
      return false
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH'
    }
  }
  for (;;) {
    try {
      mkdirSync(lock)
      writeFileSync(owner, String(process.pid))
      break
    } catch {
      await until(() => !existsSync(lock) || ownerGone(), 300_000, what)
      if (existsSync(lock) && ownerGone()) rmSync(lock, { recursive: true, force: true })
    }
  }
  try {
    // Awaited here: an async `fn` holds the lock until it is done.
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface Packed {
  dir: string
  bin: string
  write(files: Record<string, string>): void
  run(args: string[], options?: RunOptions): Promise<Result>
}

export interface PackedOptions {
  /** A package.json of an npm project (true), or, false, only what `npm i -D runts` writes in a Python project. */
  manifest?: boolean
}

/** A fresh project with the packed runts installed as a devDependency. */
export async function packedProject(files: Record<string, string> = {}, options: PackedOptions = {}): Promise<Packed> {
  const file = await tarball()
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-packed-')))
  // `{}`, not no file: npm would look for a project in the parent folders.
  const manifest = options.manifest === false ? {} : { name: 'fresh-project', private: true, type: 'module' }
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest))
  // One install at a time (npm's cache is shared), and npm's own words in the error should one fail.
  await withLock(path.join(path.dirname(file), 'install.lock'), 'another test file to install runts', () =>
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '-D', file], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  )
  const bin = path.join(dir, 'node_modules', '.bin', 'run')
  const write = (more: Record<string, string>) => {
    for (const [name, text] of Object.entries(more)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
      writeFileSync(path.join(dir, name), text)
    }
  }
  write(files)
  return { dir, bin, write, run: (args, options = {}) => runProcess(bin, args, { ...options, cwd: options.cwd ?? dir }) }
}
