/** `confirm` questions: all asked before the first task of the plan starts, never half-way through. */
import { RuntsError } from '../errors.js'
import type { Io } from '../io.js'
import type { TaskNode } from '../plan/graph.js'

export async function confirm(io: Io, tasks: readonly TaskNode[], yes: boolean): Promise<void> {
  if (yes || tasks.length === 0) return
  if (!io.terminal.stdin) {
    const names = tasks.map((t) => `'${t.name}'`).join(', ')
    throw new RuntsError('confirm', `${names} ${tasks.length === 1 ? 'asks' : 'ask'} for confirmation, and there is no terminal to ask`, {
      hint: 'pass --yes to answer yes (for CI); nothing was run',
    })
  }
  for (const task of tasks) {
    const answer = await io.ask(`${task.confirm} (task '${task.name}') [y/N] `)
    if (answer === 'interrupted') throw new RuntsError('interrupted', 'interrupted at the confirmation; nothing was run')
    if (!answer) throw new RuntsError('declined', `'${task.name}' was not confirmed; nothing was run`)
  }
}
