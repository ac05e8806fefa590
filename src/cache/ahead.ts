/**
 * The files as a run will find them when a task starts, for `run --why`:
 * what is on disk now, with what its deps restore first laid over it (a
 * restore copies its entry's files back and leaves the other files of those
 * folders alone). Only the files a restore changes are held here; the others
 * are on disk already, as they will be.
 */

import type { Overlay } from './fingerprint/fingerprint.js'
import { fileList, type InputTable, TableBuilder } from './fingerprint/input-table.js'
import type { InputSet } from './inputs/input-set.js'
import type { OutputFile } from './store/entry-format.js'
import type { FilesBefore } from './store/outputs.js'

/** A file that a dep's restore writes, and that dep. */
interface Restored {
  output: OutputFile
  by: string
}

export class FilesAhead implements Overlay, FilesBefore {
  private readonly files = new Map<string, Restored>()

  /** `task` restores these files (over what an earlier dep restored: a later dep restores later). */
  restore(task: string, outputs: readonly OutputFile[]): void {
    for (const output of outputs) this.files.set(output.file, { output, by: task })
  }

  /** What a restore leaves at this path, when one writes it. */
  get(file: string): OutputFile | undefined {
    return this.files.get(file)?.output
  }

  get size(): number {
    return this.files.size
  }

  /** The task's inputs found on disk (in path order), with the files restored first that its input set names laid over them. */
  layOver(inputs: InputTable, set: InputSet): InputTable {
    if (this.files.size === 0) return inputs
    const laid = [...this.files.values()]
      .map(({ output }) => output)
      .filter((output) => set.matches(output.file))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    if (laid.length === 0) return inputs
    const out = new TableBuilder()
    const add = (o: OutputFile) => out.add(o.file, o.size, o.mtimeMs ?? 0, 0, 0, o.hash)
    let k = 0
    for (const [i, file] of fileList(inputs).entries()) {
      while (k < laid.length && laid[k]!.file < file) add(laid[k++]!)
      if (k < laid.length && laid[k]!.file === file) add(laid[k++]!)
      else out.copy(inputs, i, file)
    }
    while (k < laid.length) add(laid[k++]!)
    return out.build()
  }

  /** Which of these files the deps' restores write, by dep: `gen restores gen/all.txt (and 2 more)`; undefined for none. */
  describe(files: readonly string[]): string | undefined {
    const byTask = new Map<string, string[]>()
    for (const file of files) {
      const restored = this.files.get(file)
      if (!restored) continue
      const list = byTask.get(restored.by) ?? []
      list.push(file)
      byTask.set(restored.by, list)
    }
    if (byTask.size === 0) return undefined
    return [...byTask].map(([task, list]) => `${task} restores ${list[0]}${more(list)}`).join(' and ')
  }
}

/** ` (and 2 more)` after the first of a list. */
export function more(list: readonly unknown[]): string {
  return list.length > 1 ? ` (and ${list.length - 1} more)` : ''
}
