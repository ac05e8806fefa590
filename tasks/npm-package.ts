// tasks.config.ts for an npm package: install, clean, build, lint, test, publish to a test and a
// production registry, release. Written by `run --init --template npm`. Tokens come from .env
// (git-ignored): see .env.example. `run --env TASK` shows every variable a task reads.
//
//   run release:test   lint and test, clean, build, publish the tarball to TEST_REGISTRY, install it from there
//   run release:prod   the same (a version already on TEST_REGISTRY is checked, not published again), then
//                      PROD_REGISTRY gets the very tarball TEST_REGISTRY holds (same dist.integrity)
//
// build packs into dist-pack/, never into dist/ (which a package's `files` often ships). A publish refuses
// a tarball that carries runts' own files or a .env at any depth (tasks.config.*, config/.env, …), or that
// lacks an entry point its package.json names (main, exports, types, bin): list what the package ships in
// package.json's `files`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  $,
  type CheckContext,
  checkTarball,
  confirmPublished,
  distFiles,
  env,
  fetchTarball,
  gitClean,
  githubRelease,
  installAndImportTarball,
  integrityOfFile,
  notPublished,
  npmToken,
  onRegistry,
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
  description: `Build (npm run build and prepublishOnly, when there are) and pack the tarball into ${PACKED}/`,
  inputs: sources,
  // dist/: where \`npm run build\` usually writes, kept and restored with the tarball.
  outputs: ['dist/**', `${PACKED}/**`],
  run: async () => {
    await $`npm run build --if-present`
    // What `npm publish` runs before it packs; npm pack runs prepack and prepare, never prepublishOnly.
    await $`npm run prepublishOnly --if-present`
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
  description:
    'Publish this version’s tarball to TEST_REGISTRY with TEST_NPM_TOKEN, then install it from there into a fresh project and import it',
  env: ['TEST_REGISTRY', 'TEST_NPM_TOKEN'],
  optional: { PROD_REGISTRY: undefined, NPM_DIST_TAG: undefined },
  deps: [build],
  // Run on its own, a version already on the test registry is refused; run from release:prod, it is promoted.
  preflight: [npmToken('TEST_NPM_TOKEN', 'TEST_REGISTRY'), testRegistryIsNotProd, versionNotOnTestRegistry],
  run: async ({ args, target }) => {
    const registry = env.TEST_REGISTRY!
    const { name, version } = await readRelease({ kind: 'npm' })
    const tarball = await thisTarball(name, version)
    const integrity = await integrityOfFile(tarball)
    const there = await onRegistry({ registry, name, version, token: env.TEST_NPM_TOKEN })
    if (there === undefined) {
      await publish(registry, env.TEST_NPM_TOKEN!, tarball, integrity, args)
    } else if (!promoting({ target })) {
      throw new Error(`${name}@${version} is already on ${bare(registry)}: bump the version`)
    } else if (there.integrity !== integrity) {
      throw new Error(
        `${name}@${version} on ${bare(registry)} has integrity ${there.integrity ?? '(none listed)'}, this build has ${integrity}: ` +
          'the test registry holds another build of this version than this one, and a registry never replaces a version: bump the version and release again',
      )
    } else {
      console.log(`${name}@${version} is already on ${bare(registry)} (same integrity): not published again, checking that it installs`)
    }
    await installFrom(registry, env.TEST_NPM_TOKEN)
  },
})

export const publishProd = task({
  name: 'publish:prod',
  description:
    'Publish to PROD_REGISTRY (PROD_NPM_TOKEN) the very tarball TEST_REGISTRY holds for this version (integrity checked), from a clean tree tagged with the version',
  env: ['PROD_REGISTRY', 'PROD_NPM_TOKEN'],
  optional: { TEST_REGISTRY: undefined, TEST_NPM_TOKEN: undefined, RELEASE_SKIP_TEST_INDEX: undefined, NPM_DIST_TAG: undefined },
  // Under GitHub Actions, npm signs the package's provenance with the job's ID token.
  permissions: { 'id-token': 'write' },
  // No build: what goes to production is what the test registry holds, never a rebuild (or, with RELEASE_SKIP_TEST_INDEX=1, dist-pack/).
  preflight: [npmToken('PROD_NPM_TOKEN', 'PROD_REGISTRY'), gitClean(), tagMatchesVersion(), testedAndNotOnProd],
  confirm: async (context) => {
    const { name, version } = await readRelease({ cwd: context.cwd, kind: 'npm' })
    const where = bare(context.env?.PROD_REGISTRY ?? '')
    if (skipTestRegistry(context))
      return `Publish ${name}@${version} to ${where} from ${PACKED}/, never checked on the test registry (RELEASE_SKIP_TEST_INDEX=1)?`
    return `Publish ${name}@${version} to ${where}?`
  },
  run: async ({ args }) => {
    const { name, version } = await readRelease({ kind: 'npm' })
    const dir = mkdtempSync(path.join(os.tmpdir(), 'publish-prod-'))
    try {
      // The bytes the test registry holds, checked against its dist.integrity; or, when told to skip it, dist-pack/.
      const local = skipTestRegistry() ? await thisTarball(name, version) : undefined
      const tarball = local
        ? { path: local, integrity: await integrityOfFile(local) }
        : await fetchTarball({ registry: env.TEST_REGISTRY!, name, version, token: env.TEST_NPM_TOKEN }, dir)
      await installCheck(tarball, local ? `${PACKED}/` : bare(env.TEST_REGISTRY!))
      await publish(env.PROD_REGISTRY!, env.PROD_NPM_TOKEN!, tarball.path, tarball.integrity, args, { provenance: true })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
})

export const releaseTest = task({
  name: 'release:test',
  description: 'lint and test, clean, build, publish:test',
  deps: [parallel(lint, test), clean, build, publishTest],
  // `run release:test --tag beta`: the arguments go on to the publish.
  argsTo: [publishTest],
})

export const releaseProd = task({
  name: 'release:prod',
  description:
    'release:test (a version already on TEST_REGISTRY is not published again), then publish:prod, then publish:github (GITHUB_TOKEN)',
  // On a push to main once check passed: `run version` first, the release commit and tag pushed, and on only when there is one.
  ci: { on: ['push', 'release', 'dispatch'], branches: ['main'], needs: ['check'], version: 'version' },
  deps: [releaseTest, publishProd, 'publish:github'],
  // `run release:prod --tag beta`: the arguments go on to both publishes (release:test passes them to publish:test).
  argsTo: [releaseTest, publishProd],
})

/** Run from release:prod, publish:test promotes: a version already on the test registry is not published again. */
function promoting(context?: { target?: string | undefined }): boolean {
  return context?.target === 'release:prod'
}

/** A check: the version is not on the test registry yet, unless release:prod promotes it from there. */
function versionNotOnTestRegistry(context?: CheckContext) {
  if (promoting(context)) return undefined
  return notPublished(() => ({ registry: env.TEST_REGISTRY, token: env.TEST_NPM_TOKEN }))(context)
}

/** A check: the test registry is not the production one, where publish:test would publish, unasked. */
function testRegistryIsNotProd(context?: CheckContext) {
  const { TEST_REGISTRY, PROD_REGISTRY } = context?.env ?? env
  if (!TEST_REGISTRY || !PROD_REGISTRY || registryKey(TEST_REGISTRY) !== registryKey(PROD_REGISTRY)) return undefined
  return (
    `TEST_REGISTRY and PROD_REGISTRY name one registry (${bare(PROD_REGISTRY)}): publish:test would publish to production, without the question publish:prod asks. ` +
    'Give TEST_REGISTRY a registry of its own (a verdaccio on your machine will do)'
  )
}

/** A registry URL as a place: without credentials, query or a trailing slash. */
function registryKey(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/?$/, '/')}`
  } catch {
    return url
  }
}

/** RELEASE_SKIP_TEST_INDEX=1: publish:prod publishes dist-pack/ as it is, without the test registry. */
function skipTestRegistry(context?: CheckContext): boolean {
  return (context?.env ?? env).RELEASE_SKIP_TEST_INDEX === '1'
}

/**
 * A check: what publish:prod would publish was tested and is not in production yet. The test registry
 * holds this version (run from release:prod, publish:test puts it there first), production does not; run
 * on its own, publish:prod finds in dist-pack/ no other build of the version than the test registry's.
 */
async function testedAndNotOnProd(context?: CheckContext) {
  const { name, version } = await readRelease({ cwd: context?.cwd, kind: 'npm' })
  const onProd = await notPublished(() => ({ registry: env.PROD_REGISTRY, token: env.PROD_NPM_TOKEN }))(context)
  if (skipTestRegistry(context)) return onProd
  if (!env.TEST_REGISTRY)
    return 'TEST_REGISTRY is not set: publish:prod publishes what the test registry holds (or set RELEASE_SKIP_TEST_INDEX=1 to publish dist-pack/ without it)'
  const tested = await onRegistry({ registry: env.TEST_REGISTRY, name, version, token: env.TEST_NPM_TOKEN })
  if (onProd) {
    // Already in production: with the tested bytes, or (a registry never replaces a version) with others.
    const there = await onRegistry({ registry: env.PROD_REGISTRY!, name, version, token: env.PROD_NPM_TOKEN })
    if (tested?.integrity === undefined || there?.integrity === undefined) return onProd
    // The tested bytes went out (a run stopped after that upload, or a second run): released, nothing to bump.
    if (there.integrity === tested.integrity)
      return (
        `${name}@${version} is already on ${bare(env.PROD_REGISTRY!)} with the very tarball the test registry holds (integrity ${there.integrity}): it is released. ` +
        'Nothing is left to publish: run publish:github if its GitHub release is missing; bump the version for a new release'
      )
    return `${onProd} (and not with what the test registry holds: its integrity is ${there.integrity}, the test registry's ${tested.integrity})`
  }
  if (tested === undefined) {
    if (promoting(context)) return undefined
    return (
      `${name}@${version} is not on the test registry (${bare(env.TEST_REGISTRY)}): only what went through it is published to production. ` +
      'Run release:prod (it publishes there first), or set RELEASE_SKIP_TEST_INDEX=1 to publish dist-pack/ without it'
    )
  }
  if (context?.target !== 'publish:prod') return undefined
  const local = await distFiles({ name, version, dir: PACKED, cwd: context?.cwd }).catch(() => [] as string[])
  if (local.length === 0) return undefined
  const integrity = await integrityOfFile(local[0]!)
  if (integrity === tested.integrity) return undefined
  return (
    `${PACKED}/ holds another build of ${name}@${version} than the test registry: its integrity is ${integrity}, ` +
    `the test registry's ${tested.integrity ?? '(none listed)'}. publish:prod publishes what the test registry holds, and a registry never replaces a version: bump the version to release this build`
  )
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

// How to keep what is not the package's out of its tarball.
const FILES_FIX =
  'Name what the package ships in package.json\'s "files" (e.g. "files": ["index.js", "lib/"]): npm then packs only those, ' +
  `with package.json, README and LICENSE (keep ${PACKED}/ and any .env out of them). An .npmignore would do too, but npm then stops reading .gitignore, so .env could ship.`

/** This version's tarball (dist-pack/NAME-VERSION.tgz, an absolute path), whatever older ones lie beside it; checked before anything is published. */
async function thisTarball(name: string, version: string): Promise<string> {
  // An absolute path (distFiles gives one): npm reads `dist-pack/x.tgz` as a GitHub repository.
  const [tarball] = await distFiles({ name, version, dir: PACKED })
  await checkTarball(tarball!, name, FILES_FIX)
  return tarball!
}

/**
 * `npm publish` of one tarball, the token in npm's environment (never on a command line, nor in a file: the temp
 * npmrc names the variable, which npm reads, so a run killed mid-upload leaves no token on disk); then the
 * registry must list its integrity.
 */
async function publish(
  registry: string,
  token: string,
  tarball: string,
  integrity: string,
  args: string[],
  { provenance = false } = {},
): Promise<void> {
  const { name, version } = await readRelease({ kind: 'npm' })
  const dir = mkdtempSync(path.join(os.tmpdir(), 'npmrc-'))
  const npmrc = path.join(dir, 'npmrc')
  writeFileSync(npmrc, `${registry.replace(/^https?:/, '').replace(/\/?$/, '/')}:_authToken=\${NPM_PUBLISH_TOKEN}\n`, { mode: 0o600 })
  const withToken = $({ env: { ...env, NPM_PUBLISH_TOKEN: token } })
  try {
    await withToken`npm publish ${tarball} --registry ${registry} --userconfig ${npmrc} ${distTag(version, args)} ${provenance ? provenanceFlag() : []} ${args}`
  } catch (error) {
    // Refused because another run published this version meanwhile: with these very bytes, it is done.
    const there = await onRegistry({ registry, name, version, token }).catch(() => undefined)
    if (there?.integrity !== integrity) throw error
    console.log(`${name}@${version} is on ${bare(registry)} with the same integrity: another run published it`)
    return
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  await confirmPublished({ registry, name, version, token }, integrity)
  console.log(`published ${name}@${version} to ${bare(registry)} (integrity ${integrity})`)
}

/** Before production: the tarball the registry holds, checked against its integrity, then installCheck. */
async function installFrom(registry: string, token: string | undefined): Promise<void> {
  const { name, version } = await readRelease({ kind: 'npm' })
  const dir = mkdtempSync(path.join(os.tmpdir(), 'install-check-'))
  try {
    await installCheck(await fetchTarball({ registry, name, version, token }, dir), bare(registry))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const installChecked = new Set<string>()

/**
 * A tarball installed into a fresh project (its dependencies from PROD_REGISTRY, or npm's own registry),
 * imported, and each of its bins started; once per run for one integrity (release:prod checks the test
 * registry's tarball in publish:test, and publish:prod publishes those very bytes).
 */
async function installCheck(tarball: { path: string; integrity: string }, from: string): Promise<void> {
  if (installChecked.has(tarball.integrity)) return
  const { name, version } = await readRelease({ kind: 'npm' })
  const manifest = await checkTarball(tarball.path, name, FILES_FIX)
  const did = await installAndImportTarball({ tarball: tarball.path, manifest, registry: env.PROD_REGISTRY || undefined })
  installChecked.add(tarball.integrity)
  console.log(`${name}@${version} from ${from} installs into a fresh project${did.length ? ` (${did.join(', ')})` : ''}`)
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
  description:
    "The GitHub release of v<version> (GITHUB_TOKEN): its notes the version's CHANGELOG.md section, its asset the tarball PROD_REGISTRY holds (integrity checked)",
  optional: {
    GITHUB_TOKEN: undefined,
    GITHUB_REPOSITORY: undefined,
    GITHUB_API_URL: undefined,
    PROD_REGISTRY: undefined,
    PROD_NPM_TOKEN: undefined,
  },
  permissions: { contents: 'write' },
  // Run on its own it needs the token; release:prod ends with it when the token is there, and says so when not.
  preflight: [githubTokenUnlessReleaseProd],
  run: async () => {
    if (!env.GITHUB_TOKEN) {
      console.log('GITHUB_TOKEN is not set: skipped publish:github (no GitHub release); set it to make one')
      return
    }
    if (!env.PROD_REGISTRY) throw new Error('PROD_REGISTRY is not set: the release attaches the tarball the production registry holds')
    const { name, version } = await readRelease({ kind: 'npm' })
    const dir = mkdtempSync(path.join(os.tmpdir(), 'publish-github-'))
    try {
      // The very bytes published, never a rebuild in dist-pack/: the production registry's tarball, checked against its dist.integrity.
      const tarball = await fetchTarball({ registry: env.PROD_REGISTRY, name, version, token: env.PROD_NPM_TOKEN }, dir)
      await githubRelease({ files: [tarball.path], kind: 'npm' })
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
