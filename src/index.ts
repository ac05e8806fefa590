export { $, env } from './api/shell.js'
export type { Dependency, Parallel, Task, TaskContext, TaskFn, TaskOptions } from './api/task.js'
export { parallel, task } from './api/task.js'
