// The cache, built as one file of its own (dist/extras/cache.cjs): only a run with `inputs` and `run --why` load it.
export { Cache } from './cache.js'
export { FORCED, NO_INPUTS, RESTORES, UP_TO_DATE } from './explain.js'
