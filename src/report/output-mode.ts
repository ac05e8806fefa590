/** How a task's output is laid out (`--output`). */
export const OUTPUT_MODES = ['auto', 'prefixed', 'grouped'] as const
export type OutputMode = (typeof OUTPUT_MODES)[number]
