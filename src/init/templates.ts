/** The ready-made tasks files in tasks/, and what `run --init` writes beside each. */

export const TEMPLATES = {
  npm: {
    file: 'npm-package.ts',
    envExample: `# Copy to .env (git-ignored) and fill in.
TEST_REGISTRY=https://npm.example.test/
TEST_NPM_TOKEN=
PROD_REGISTRY=https://registry.npmjs.org/
PROD_NPM_TOKEN=
# Optional: the dist-tag of a prerelease (next when unset; never latest), and for publish:github (release:prod
# ends with it when set) a token that may write releases; the repository is the origin remote's.
# NPM_DIST_TAG=next
# GITHUB_TOKEN=
`,
    // dist-pack/: where build packs the tarball, outside dist/ (which `files` often ships: a tarball packed
    // into it would carry the older ones); git-ignored, so npm leaves it out of a package without `files`.
    ignore: ['.env', '.env.local', 'node_modules/', 'dist/', 'dist-pack/'],
  },
  python: {
    file: 'python-package.ts',
    envExample: `# Copy to .env (git-ignored) and fill in.
# Tokens from https://test.pypi.org/manage/account/token/ and https://pypi.org/manage/account/token/
# (in GitHub Actions they may stay empty: trusted publishing mints a short-lived one).
TEST_PYPI_TOKEN=
PYPI_TOKEN=
# For publish:github (release:prod ends with it when set): a token that may write releases of the
# repository (the origin remote's, or GITHUB_REPOSITORY=owner/name).
# GITHUB_TOKEN=
# Optional (run --env shows what each is now): the Python to use (a venv's), other indexes
# (for pypiserver: TEST_PYPI_URL=http://host:8080/ and TEST_PYPI_INDEX_URL=http://host:8080/simple/),
# the module(s) the install checks import (by default the wheel's own), arguments for python -m build,
# the seconds a step of an upload (a connection, a 16 kB block, the answer) may take before it is stopped.
# PYTHON=.venv/bin/python
# TEST_PYPI_URL=https://test.pypi.org/legacy/
# TEST_PYPI_INDEX_URL=https://test.pypi.org/simple/
# PYPI_URL=https://upload.pypi.org/legacy/
# PYPI_INDEX_URL=https://pypi.org/simple/
# PYTHON_IMPORT_NAME=
# PYTHON_BUILD_ARGS=
# PYTHON_UPLOAD_TIMEOUT=120
`,
    // node_modules/ (runts itself) must never reach an sdist: hatchling and setuptools-scm follow .gitignore.
    // __pycache__/, .pytest_cache/: what tests leave behind must not make publish:prod's clean-tree check fail.
    ignore: ['.env', '.env.local', 'node_modules/', 'dist/', 'build/', '*.egg-info/', '__pycache__/', '.pytest_cache/', '.venv/'],
  },
} as const

export type TemplateName = keyof typeof TEMPLATES

/** A starter pre-commit configuration, written by `--init --template python` when there is none. */
export const PRE_COMMIT_CONFIG = `# Starter hooks written by \`run --init\`; \`run lint\` runs them over every file.
# Add your linters (ruff, black, mypy, ...) from https://pre-commit.com/hooks.html
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: trailing-whitespace
      - id: end-of-file-fixer
      - id: check-yaml
      - id: check-toml
      - id: check-added-large-files
`
