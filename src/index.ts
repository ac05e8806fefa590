export { $, env } from './api/shell.js'
export type {
  Check,
  CheckContext,
  CiEvent,
  CiOptions,
  CiPermissions,
  Dependency,
  Parallel,
  PreviewContext,
  Question,
  Task,
  TaskContext,
  TaskFn,
  TaskOptions,
} from './api/task.js'
export { parallel, task } from './api/task.js'
export * from './release/public.js'
