/** `confirm` questions: all asked before the first task of the plan starts, never half-way through. */
import { RuntsError } from '../errors.js'
import type { Io } from '../io.js'
import type { Question } from './preflight.js'

export async function confirm(io: Io, asked: readonly Question[], yes: boolean): Promise<void> {
  if (yes || asked.length === 0) return
  if (!io.terminal.stdin) {
    const names = asked.map((q) => `'${q.task.name}'`).join(', ')
    throw new RuntsError('confirm', `${names} ${asked.length === 1 ? 'asks' : 'ask'} for confirmation, and there is no terminal to ask`, {
      hint: 'pass --yes to answer yes (for CI); nothing was run',
    })
  }
  for (const { task, question } of asked) {
    const answer = await io.ask(`${question} (task '${task.name}') [y/N] `)
    if (answer === 'interrupted') throw new RuntsError('interrupted', 'interrupted at the confirmation; nothing was run')
    if (!answer) throw new RuntsError('declined', `'${task.name}' was not confirmed; nothing was run`)
  }
}
