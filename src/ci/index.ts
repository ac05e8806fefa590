// `run --ci github` and the step summary, built as one file of its own (dist/extras/ci.cjs): only those commands load it.
export { checkWorkflow } from './check.js'
export { ciJobs } from './jobs.js'
export { detectProject } from './project.js'
export { appendStepSummary, stepSummary } from './summary.js'
export { generateWorkflow, WORKFLOW_FILE } from './workflow.js'
