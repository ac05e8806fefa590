// tasks.config.ts for an npm package: install, clean, build, lint, test, publish to a test and a
// production registry, release. Written by `run --init --template npm`. Tokens come from .env
// (git-ignored): see .env.example. `run --env TASK` shows every variable a task reads.
//
//   run release:test   lint and test, clean, build, publish the tarball to TEST_REGISTRY
//   run release:prod   the same (a version already on TEST_REGISTRY is not published again), then PROD_REGISTRY
//
// build packs into dist-pack/, never into dist/ (which a package's `files` often ships). A publish refuses
// a tarball that carries runts' own files (tasks.config.ts, .env.example, …): list what the package ships
// in package.json's `files`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  $,
  type CheckContext,
  distFiles,
  env,
  findPublished,
  gitClean,
  githubRelease,
  notPublished,
  parallel,
  previewVersion,
  readRelease,
  releaseVersion,
  tagMatchesVersion,
  task,
} from 'runts'

// Where build packs the tarball: a folder of its own, never dist/ (which `files` often ships: a tarball
// packed there would carry the older ones). `run --init` git-ignores it, so npm leaves it out of a
// package without `files` too.
const PACKED = 'dist-pack'

// What tools write as they run (coverage, caches): never what a task reads, or running one would make
// another run again.
const caches = ['!coverage/**', '!.nyc_output/**', '!.cache/**', '!.eslintcache', '!**/*.tsbuildinfo']
// What the tarball is made of: every file of the package (npm packs what `files` and .npmignore let
// through), less the runner's own and the caches. node_modules/ is never an input; package-lock.json is.
const sources = ['**', '!.env', '!.env.local', ...caches]

export const install = task({
  description: 'Install dependencies exactly as locked',
  run: () => $`npm ci`,
})

export const clean = task({
  description: `Remove build output (dist/) and packed tarballs (${PACKED}/)`,
  run: () => $`rm -rf dist ${PACKED}`,
})

export const build = task({
  description: `Build (npm run build, when there is one) and pack the tarball into ${PACKED}/`,
  inputs: sources,
  // dist/: where \`npm run build\` usually writes, kept and restored with the tarball.
  outputs: ['dist/**', `${PACKED}/**`],
  run: async () => {
    await $`npm run build --if-present`
    await $`mkdir -p ${PACKED}`
    await $`npm pack --pack-destination ${PACKED}`
  },
})

export const lint = task({
  description: 'Lint (npm run lint, when there is one)',
  // Not what build writes: a build must not make lint run again.
  inputs: [...sources, '!dist/**', `!${PACKED}/**`],
  run: ({ args }) => $`npm run lint --if-present -- ${args}`,
})

export const test = task({
  description: 'Test (npm test, when there is one); arguments go to it',
  run: ({ args }) => $`npm run test --if-present -- ${args}`,
})

export const check = task({
  description: 'lint and test together (CI: every push and pull request)',
  ci: ['push', 'pull_request'],
  deps: [parallel(lint, test)],
})

export const publishTest = task({
  name: 'publish:test',
  description: 'Publish this version’s tarball to TEST_REGISTRY with TEST_NPM_TOKEN',
  env: ['TEST_REGISTRY', 'TEST_NPM_TOKEN'],
  optional: { NPM_DIST_TAG: undefined },
  deps: [build],
  // Run on its own, a version already on the test registry is refused; run from release:prod, it is promoted.
  preflight: [versionNotOnTestRegistry],
  run: async ({ args, target }) => {
    const registry = env.TEST_REGISTRY!
    const { name, version } = await readRelease({ kind: 'npm' })
    if (promoting({ target }) && (await findPublished({ registry, name, version, token: env.TEST_NPM_TOKEN })).files.length > 0) {
      console.log(`${name}@${version} is already on ${registry}: not published again`)
      return
    }
    await publish(registry, env.TEST_NPM_TOKEN!, args)
  },
})

export const publishProd = task({
  name: 'publish:prod',
  description: 'Publish this version’s tarball to PROD_REGISTRY with PROD_NPM_TOKEN, from a clean tree tagged with the version',
  env: ['PROD_REGISTRY', 'PROD_NPM_TOKEN'],
  optional: { NPM_DIST_TAG: undefined },
  // Under GitHub Actions, npm signs the package's provenance with the job's ID token.
  permissions: { 'id-token': 'write' },
  deps: [build],
  preflight: [gitClean(), tagMatchesVersion(), notPublished(() => ({ registry: env.PROD_REGISTRY, token: env.PROD_NPM_TOKEN }))],
  confirm: async (context) => {
    const { name, version } = await readRelease({ cwd: context.cwd, kind: 'npm' })
    return `Publish ${name}@${version} to ${bare(context.env?.PROD_REGISTRY ?? '')}?`
  },
  run: ({ args }) => publish(env.PROD_REGISTRY!, env.PROD_NPM_TOKEN!, args, { provenance: true }),
})

export const releaseTest = task({
  name: 'release:test',
  description: 'lint and test, clean, build, publish:test',
  deps: [parallel(lint, test), clean, build, publishTest],
})

export const releaseProd = task({
  name: 'release:prod',
  description:
    'release:test (a version already on TEST_REGISTRY is not published again), then publish:prod, then publish:github (GITHUB_TOKEN)',
  // On a push to main once check passed: `run version` first, the release commit and tag pushed, and on only when there is one.
  ci: { on: ['push', 'release', 'dispatch'], branches: ['main'], needs: ['check'], version: 'version' },
  deps: [releaseTest, publishProd, 'publish:github'],
})

/** Run from release:prod, publish:test promotes: a version already on the test registry is not published again. */
function promoting(context?: { target?: string }): boolean {
  return context?.target === 'release:prod'
}

/** A check: the version is not on the test registry yet, unless release:prod promotes it from there. */
function versionNotOnTestRegistry(context?: CheckContext) {
  if (promoting(context)) return undefined
  return notPublished(() => ({ registry: env.TEST_REGISTRY, token: env.TEST_NPM_TOKEN }))(context)
}

/** A registry URL as it may be printed: without a user or password in it. */
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

// What runts brings into a project: none of it belongs in a package. The list is yours to change.
const RUNNER_FILES = /^(?:tasks\.config\.[cm]?[jt]s|\.env(?:\..+)?)$/

/** Refuses a tarball that carries runts' own files or tarballs of this package, naming them and the fix. */
async function refuseRunnerFiles(tarball: string, name: string): Promise<void> {
  const { stdout } = await $({ quiet: true })`tar -tzf ${tarball}`
  const packed = `${name.replace(/^@/, '').replace('/', '-')}-`
  const found = stdout
    .split('\n')
    .map((entry) => entry.replace(/^package\//, ''))
    .filter((file) => RUNNER_FILES.test(file) || (path.basename(file).startsWith(packed) && file.endsWith('.tgz')))
    .sort()
  if (found.length === 0) return
  throw new Error(
    `${path.basename(tarball)} carries files that are not the package's: ${found.join(', ')}; nothing was published. ` +
      'Name what the package ships in package.json\'s "files" (e.g. "files": ["index.js", "lib/"]): npm then packs only those, ' +
      `with package.json, README and LICENSE (keep ${PACKED}/ out of it). An .npmignore would do too, but npm then stops reading .gitignore, so .env could ship.`,
  )
}

/** `npm publish` of this version's tarball only (dist-pack/NAME-VERSION.tgz), whatever older ones lie beside it. */
async function publish(registry: string, token: string, args: string[], { provenance = false } = {}): Promise<void> {
  const { name, version } = await readRelease({ kind: 'npm' })
  // An absolute path (distFiles gives one): npm reads `dist-pack/x.tgz` as a GitHub repository.
  const [tarball] = await distFiles({ name, version, dir: PACKED })
  await refuseRunnerFiles(tarball!, name)
  // The token goes into a temp npmrc, never onto a command line.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'npmrc-'))
  const npmrc = path.join(dir, 'npmrc')
  writeFileSync(npmrc, `${registry.replace(/^https?:/, '').replace(/\/?$/, '/')}:_authToken=${token}\n`, { mode: 0o600 })
  try {
    await $`npm publish ${tarball!} --registry ${registry} --userconfig ${npmrc} ${distTag(version, args)} ${provenance ? provenanceFlag() : []} ${args}`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`published ${name}@${version} to ${bare(registry)}`)
}

// Version, changelog and GitHub release: commits say what changed (`feat: …`, `fix: …`); `run version` turns them
// into the next version, a CHANGELOG.md section, the commit `chore(release): vX.Y.Z` and the tag; release:prod
// then publishes, and ends with the GitHub release.

export const version = task({
  description:
    'The next version from the Conventional Commits since the last v* tag (or: patch, minor, major, prerelease [rc|beta], X.Y.Z): written to package.json, its lock and CHANGELOG.md, committed, tagged; pushes nothing',
  permissions: { contents: 'write' },
  preflight: [gitClean()],
  preview: ({ args }) => previewVersion({ bump: args[0], preid: args[1], kind: 'npm' }),
  run: async ({ args }) => {
    await releaseVersion({ bump: args[0], preid: args[1], kind: 'npm' })
  },
})

export const publishGithub = task({
  name: 'publish:github',
  description: `The GitHub release of v<version> (GITHUB_TOKEN): its notes the version's CHANGELOG.md section, its asset the tarball in ${PACKED}/`,
  optional: { GITHUB_TOKEN: undefined, GITHUB_REPOSITORY: undefined, GITHUB_API_URL: undefined },
  permissions: { contents: 'write' },
  // Run on its own it needs the token; release:prod ends with it when the token is there, and says so when not.
  preflight: [githubTokenUnlessReleaseProd],
  run: async () => {
    if (!env.GITHUB_TOKEN) {
      console.log('GITHUB_TOKEN is not set: skipped publish:github (no GitHub release); set it to make one')
      return
    }
    const { name, version } = await readRelease({ kind: 'npm' })
    await githubRelease({ files: await distFiles({ name, version, dir: PACKED }), kind: 'npm' })
  },
})

/** A check: publish:github on its own needs GITHUB_TOKEN; run from release:prod, it skips itself without. */
function githubTokenUnlessReleaseProd(context?: CheckContext) {
  if (context?.target === 'release:prod' || context?.env?.GITHUB_TOKEN) return undefined
  return 'GITHUB_TOKEN is not set: give a token that may write releases (a fine-grained token with Contents: write), in .env or the environment'
}

/**
 * The dist-tag: a prerelease (1.2.0-rc.1) goes under NPM_DIST_TAG, `next` unless told otherwise, and never
 * under `latest` (which `npm install NAME` would then give everyone); `--tag X` among the arguments wins.
 */
function distTag(version: string, args: string[]): string[] {
  const prerelease = version.includes('-')
  const given = args.find((arg, i) => arg.startsWith('--tag=') || args[i - 1] === '--tag')
  const tag = given?.replace(/^--tag=/, '') ?? env.NPM_DIST_TAG
  if (prerelease && tag === 'latest')
    throw new Error(`${version} is a prerelease: it never goes under the dist-tag latest (use next, beta, …)`)
  if (given) return []
  return tag ? ['--tag', tag] : prerelease ? ['--tag', 'next'] : []
}

/** Under GitHub Actions with an ID token (id-token: write), npm publishes with a signed provenance statement. */
function provenanceFlag(): string[] {
  return env.GITHUB_ACTIONS === 'true' && env.ACTIONS_ID_TOKEN_REQUEST_URL ? ['--provenance'] : []
}
