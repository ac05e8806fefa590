// `run --watch`, built as one file of its own (dist/extras/watch.cjs).
export { changeMatcher, watchTarget } from './globs.js'
export { watchFiles } from './watcher.js'
