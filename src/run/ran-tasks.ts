/**
 * The code cache (code-cache.ts) holds the functions compiled by the run that wrote it. A run that
 * only listed tasks compiles less than one that ran some, so the cache is written again once by a run
 * that did: the CLI sets this registered flag when it starts running tasks. A module of its own, so
 * that the CLI does not load the code cache's module (and its built-ins) a second time to set it.
 */
export const RAN_TASKS = Symbol.for('runts.ranTasks')
