/** The package index of the tests: pypiserver, started by scripts/pypi-index.ts (which a dry-run release uses too). */
export { type PackageIndex, type PackageIndexOptions, startPackageIndex } from '../../scripts/pypi-index.js'
