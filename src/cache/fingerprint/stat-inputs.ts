/**
 * The input files on disk against the last run's record of them: which can be
 * trusted unread (file-stat.ts), which must be hashed, and, after a run,
 * whether any changed while it ran.
 */
import path from 'node:path'
import type { InputSet } from '../inputs/input-set.js'
import { hashFile } from './hash.js'
import { emptyTable, HASH_LENGTH, type InputTable, TableBuilder, TableCursor, unchangedRow } from './input-table.js'

/** The last good run's record of the inputs, which spares reading unchanged ones. */
export interface PreviousInputs {
  inputs: InputTable
  taken: number
  inputsHash: string
}

/**
 * Each input with its stat and hash. The walk gives the files in path order, as the last run's table
 * has them, so both are read side by side (no map to build). While every file is the last run's,
 * unchanged, nothing is made: the last run's table is the answer. From the first difference on, a new
 * table is written, unchanged files keeping their records and the others read.
 */
export function statInputs(root: string, set: InputSet, previous: PreviousInputs | undefined) {
  const old = previous?.inputs ?? emptyTable()
  const taken = previous?.taken ?? 0
  const rows = new TableCursor(old)
  let made: TableBuilder | undefined
  /** From here on the table differs from the last run's: a new one, starting with the rows so far. */
  const differ = () => {
    if (made) return made
    made = new TableBuilder()
    made.copyFirst(old, rows.row, rows.offset)
    return made
  }
  let read = 0
  set.walk(root, (file, stat) => {
    // Rows before this file are files that went away.
    while (!rows.done && !rows.is(file) && rows.file() < file) {
      differ()
      rows.next()
    }
    if (rows.is(file)) {
      if (unchangedRow(stat, old, rows.row, taken)) {
        made?.copy(old, rows.row, file)
        rows.next()
        return
      }
      differ()
      rows.next()
    } else differ()
    read++
    made!.add(file, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, hashFile(`${root}${path.sep}${file}`))
  })
  if (!rows.done) differ()
  const same = made === undefined && previous !== undefined
  return { inputs: made ? made.build() : old, read, same }
}

/**
 * The first input that differs from the table taken before the task ran (added, removed, or other
 * content), or undefined: a file edited while its task ran makes the run's outputs those of neither
 * version. A file whose stat is unchanged, and was not too recent when taken, is not read again.
 */
export function changedSince(root: string, set: InputSet, before: InputTable, taken: number): string | undefined {
  const rows = new TableCursor(before)
  let changed: string | undefined
  set.walk(root, (file, stat) => {
    if (changed !== undefined) return
    if (!rows.is(file)) {
      changed = rows.done || rows.file() > file ? file : rows.file()
      return
    }
    const i = rows.row
    rows.next()
    if (unchangedRow(stat, before, i, taken)) return
    let hash: string | undefined
    try {
      hash = hashFile(`${root}${path.sep}${file}`)
    } catch {
      // Gone since the walk saw it: changed.
    }
    if (hash === undefined || !before.hashes.startsWith(hash, i * HASH_LENGTH)) changed = file
  })
  return changed ?? (rows.done ? undefined : rows.file())
}
