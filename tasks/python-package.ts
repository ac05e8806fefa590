// tasks.config.ts for a Python package: install, clean, build (sdist and
// wheel), lint (pre-commit), upload to TestPyPI and PyPI, release. Written by
// `run --init --template python`. Tokens come from .env (git-ignored): see .env.example.
import { $, env, task } from 'runts'

/** The Python to use: PYTHON in .env, else python3 on PATH. */
const python = () => env.PYTHON || 'python3'

export const install = task({
  description: 'Upgrade pip, then install the project in editable mode with its dev extras',
  run: async () => {
    await $`${python()} -m pip install --upgrade pip`
    await $`${python()} -m pip install -e ${'.[dev]'}`
  },
})

export const clean = task({
  description: 'Remove dist/, build/ and egg-info leftovers',
  run: () => $`rm -rf dist build *.egg-info src/*.egg-info`,
})

export const build = task({
  description: 'Build the sdist and the wheel into dist/ (PYTHON_BUILD_ARGS, e.g. --no-isolation, go to python -m build)',
  run: () => $`${python()} -m build --sdist --wheel ${(env.PYTHON_BUILD_ARGS ?? '').split(/\s+/).filter(Boolean)}`,
})

export const check = task({
  description: 'Check the built distributions (twine check)',
  deps: [build],
  run: () => $`twine check dist/*`,
})

export const lint = task({
  description: 'Run the pre-commit hooks over every file',
  run: () => $`pre-commit run --all-files`,
})

export const publishTest = task({
  name: 'publish:test',
  description: 'Upload dist/* to TestPyPI with TEST_PYPI_TOKEN',
  env: ['TEST_PYPI_TOKEN'],
  deps: [check],
  run: () => upload(env.TEST_PYPI_URL || 'https://test.pypi.org/legacy/', env.TEST_PYPI_TOKEN!),
})

export const publishProd = task({
  name: 'publish:prod',
  description: 'Upload dist/* to PyPI with PYPI_TOKEN',
  env: ['PYPI_TOKEN'],
  deps: [check],
  run: () => upload(env.PYPI_URL || 'https://upload.pypi.org/legacy/', env.PYPI_TOKEN!),
})

export const releaseTest = task({
  name: 'release:test',
  description: 'lint, clean, build, publish:test',
  deps: [lint, clean, build, publishTest],
})

export const releaseProd = task({
  name: 'release:prod',
  description: 'release:test, then publish:prod',
  confirm: 'Upload to PyPI?',
  deps: [releaseTest, publishProd],
})

/** twine upload, non-interactive, as __token__; the token goes in twine's environment, never on its command line. */
function upload(repositoryUrl: string, token: string) {
  return $({
    env: { ...env, TWINE_USERNAME: '__token__', TWINE_PASSWORD: token },
  })`twine upload --non-interactive --repository-url ${repositoryUrl} dist/*`
}
