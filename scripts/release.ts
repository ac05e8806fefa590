/**
 * Publishing this package: to a registry with a token (never printed: the
 * token goes into a temp npmrc), refusing a version that is already there,
 * and checking that what was published installs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { $ } from 'runts'

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

/** Run `fn` with a temp npmrc holding the token for `registry`; the file is removed after. */
export async function withToken<T>(registry: string, token: string, fn: (npmrc: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-npmrc-'))
  const npmrc = path.join(dir, 'npmrc')
  const host = registry.replace(/^https?:/, '').replace(/\/?$/, '/')
  writeFileSync(npmrc, `${host}:_authToken=${token}\n`, { mode: 0o600 })
  try {
    return await fn(npmrc)
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
  await withToken(registry, token, (npmrc) => $`npm publish ${tarball()} --registry ${registry} --userconfig ${npmrc} --access public`)
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
