/**
 * Two sample projects for the CI simulation: their committed files. Each has
 * a check job (push, pull_request) that must see no secret, and a release job
 * with a confirm that publishes with a token and a URL (recorded as the URL
 * and the token's SHA-256 in published.txt, never the token itself). The
 * Python one has an `install` task, which its jobs must run before the task.
 */

/** Writes the names of the token and URL variables the task can see. */
const recordSeen = `const seen = () => writeFileSync('check-env.json', JSON.stringify(Object.keys(env).filter((k) => /TOKEN|_URL/.test(k)).sort()))`

export const nodeSample: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'ci-sample', version: '1.0.0', private: true, type: 'module', engines: { node: '>=20' } }),
  'index.js': 'export const answer = 42\n',
  'index.test.js':
    "import test from 'node:test'\nimport assert from 'node:assert'\nimport { answer } from './index.js'\ntest('answer', () => assert.equal(answer, 42))\n",
  'tasks.config.ts': `import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { $, env, parallel, task } from 'runts'

${recordSeen}

export const lint = task({ run: () => $\`node --check index.js\` })
export const test = task({ run: () => $\`node --test index.test.js\` })
export const check = task({ ci: ['push', 'pull_request'], deps: [parallel(lint, test)], run: seen })

export const publish = task({
  env: ['NPM_TOKEN', 'REGISTRY_URL'],
  run: () => writeFileSync('published.txt', \`\${env.REGISTRY_URL} \${createHash('sha256').update(env.NPM_TOKEN!).digest('hex')}\\n\`),
})
export const release = task({ ci: ['tag', 'dispatch'], confirm: 'Publish ci-sample?', deps: [check, publish] })
`,
}

export const pythonSample: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'ci-sample-py', version: '1.0.0', private: true }),
  '.nvmrc': '20\n',
  '.python-version': '3.11\n',
  'pyproject.toml': `[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "ci-sample"
version = "0.1.0"
description = "A sample package"
readme = "README.md"
requires-python = ">=3.9"
`,
  'README.md': '# ci-sample\n',
  // A src layout: setuptools' flat-layout discovery would refuse node_modules/ beside the package.
  'src/ci_sample/__init__.py': '__version__ = "0.1.0"\n',
  'tasks.config.ts': `import { writeFileSync } from 'node:fs'
import { $, env, task } from 'runts'

${recordSeen}

// The package, in .venv: what a fresh runner lacks until install runs. Offline and quick: built by the
// Python the set-up gives (its pip, setuptools and wheel), installed into a venv of its own by that pip.
export const install = task({
  run: async () => {
    await $\`python -m venv --without-pip .venv\`
    await $\`python -m pip wheel --disable-pip-version-check --no-input --no-deps --no-build-isolation --wheel-dir .wheels .\`
    await $\`python -m pip --python .venv/bin/python install --disable-pip-version-check --no-input --no-index --no-deps .wheels/*.whl\`
  },
})

// --no-isolation: built with the Python set-up gives (setuptools), offline.
export const build = task({ run: () => $\`python -m build --no-isolation --sdist --wheel\` })
export const check = task({
  ci: ['push', 'pull_request'],
  deps: [build],
  run: async () => {
    await $\`.venv/bin/python -c 'import ci_sample'\`
    await $\`twine check dist/*\`
    seen()
  },
})

export const publishProd = task({
  name: 'publish:prod',
  env: ['PYPI_TOKEN', 'PYPI_URL'],
  deps: [check],
  // A stand-in upload, in Python: what it was given, with the token hashed.
  run: () => $\`python -c \${'import hashlib, os; open("published.txt", "w").write(os.environ["PYPI_URL"] + " " + hashlib.sha256(os.environ["PYPI_TOKEN"].encode()).hexdigest() + "\\\\n")'}\`,
})
export const releaseProd = task({ name: 'release:prod', ci: ['release', 'dispatch'], confirm: 'Upload to PyPI?', deps: [publishProd] })
`,
}
