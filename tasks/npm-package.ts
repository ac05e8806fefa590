// tasks.config.ts for an npm package: install, clean, build, lint, publish to a
// test and a production registry, release. Written by `run --init --template npm`.
// Tokens come from .env (git-ignored): see .env.example.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { $, env, task } from 'runts'

export const install = task({
  description: 'Install dependencies exactly as locked',
  run: () => $`npm ci`,
})

export const clean = task({
  description: 'Remove build output and packed tarballs',
  run: () => $`rm -rf dist`,
})

export const build = task({
  description: 'Build (npm run build, when there is one) and pack the tarball into dist/',
  run: async () => {
    await $`npm run build --if-present`
    await $`mkdir -p dist`
    await $`npm pack --pack-destination dist`
  },
})

export const lint = task({
  description: 'Lint (npm run lint, when there is one)',
  run: () => $`npm run lint --if-present`,
})

export const publishTest = task({
  name: 'publish:test',
  description: 'Publish the tarball to TEST_REGISTRY with TEST_NPM_TOKEN',
  env: ['TEST_REGISTRY', 'TEST_NPM_TOKEN'],
  deps: [build],
  run: () => publish(env.TEST_REGISTRY!, env.TEST_NPM_TOKEN!),
})

export const publishProd = task({
  name: 'publish:prod',
  description: 'Publish the tarball to PROD_REGISTRY with PROD_NPM_TOKEN',
  env: ['PROD_REGISTRY', 'PROD_NPM_TOKEN'],
  deps: [build],
  run: () => publish(env.PROD_REGISTRY!, env.PROD_NPM_TOKEN!),
})

export const releaseTest = task({
  name: 'release:test',
  description: 'lint, clean, build, publish:test',
  deps: [lint, clean, build, publishTest],
})

export const releaseProd = task({
  name: 'release:prod',
  description: 'release:test, then publish:prod',
  confirm: 'Publish to the production registry?',
  deps: [releaseTest, publishProd],
})

/** `npm publish` of dist/NAME-VERSION.tgz, refusing a version the registry already has. */
async function publish(registry: string, token: string): Promise<void> {
  const { name, version } = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }
  const spec = `${name}@${version}`
  const existing = await $({ nothrow: true, quiet: true })`npm view ${spec} version --registry ${registry}`
  if (existing.exitCode === 0 && existing.stdout.trim() === version) {
    throw new Error(`${spec} is already published on ${registry}: bump the version in package.json`)
  }
  // An absolute path: npm reads `dist/x.tgz` as a GitHub repository.
  const tarball = path.resolve('dist', `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`)
  // The token goes into a temp npmrc, never onto a command line.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'npmrc-'))
  const npmrc = path.join(dir, 'npmrc')
  writeFileSync(npmrc, `${registry.replace(/^https?:/, '').replace(/\/?$/, '/')}:_authToken=${token}\n`, { mode: 0o600 })
  try {
    await $`npm publish ${tarball} --registry ${registry} --userconfig ${npmrc}`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`published ${spec} to ${registry}`)
}
