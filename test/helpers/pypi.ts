/** The package index of the tests: pypiserver, started by scripts/pypi-index.ts (which a dry-run release uses too). */
import type { PackageIndex } from '../../scripts/pypi-index.js'

export { type PackageIndex, type PackageIndexOptions, startPackageIndex } from '../../scripts/pypi-index.js'

/** The python template's variables for two indexes (`test` as TestPyPI, `prod` as PyPI) and their tokens. */
export function twoIndexes(test: PackageIndex, prod: PackageIndex): Record<string, string> {
  return {
    TEST_PYPI_URL: test.uploadUrl,
    TEST_PYPI_INDEX_URL: test.indexUrl,
    TEST_PYPI_TOKEN: test.token,
    PYPI_URL: prod.uploadUrl,
    PYPI_INDEX_URL: prod.indexUrl,
    PYPI_TOKEN: prod.token,
  }
}
