/**
 * A task's input files as they were (path, size, mtime, ctime, inode, content
 * hash), in path order, in as few objects as can hold them: the paths as one
 * string (each ended by a NUL), the hashes as one string (43 characters each),
 * the numbers as four arrays. The last run's table is read from the task state
 * on every check: 10,000 files are two strings and four arrays, not 20,000
 * strings that the garbage collector would copy while the walk runs. A check
 * that finds every file unchanged reads it in place and makes no new one.
 */
import { RACY_MS, type StatLike } from './file-stat.js'

/** The length of a content hash (SHA-256, base64url). */
export const HASH_LENGTH = 43

export interface InputTable {
  /** Each path, then a NUL. */
  files: string
  sizes: number[]
  mtimes: number[]
  ctimes: number[]
  inos: number[]
  /** Each content hash, HASH_LENGTH characters, one after the other. */
  hashes: string
}

/** An empty table. */
export function emptyTable(): InputTable {
  return { files: '', sizes: [], mtimes: [], ctimes: [], inos: [], hashes: '' }
}

/** Whether a value read from a file is a table (its columns agree). */
export function isTable(value: unknown): value is InputTable {
  const t = value as InputTable
  if (typeof t?.files !== 'string' || typeof t.hashes !== 'string') return false
  const n = t.sizes?.length
  return (
    Array.isArray(t.sizes) &&
    Array.isArray(t.mtimes) &&
    Array.isArray(t.ctimes) &&
    Array.isArray(t.inos) &&
    t.mtimes.length === n &&
    t.ctimes.length === n &&
    t.inos.length === n &&
    t.hashes.length === n * HASH_LENGTH
  )
}

/** The paths of a table. */
export function fileList(table: InputTable): string[] {
  return table.files === '' ? [] : table.files.slice(0, -1).split('\0')
}

/** Row `i`'s hash. */
export function hashAt(table: InputTable, i: number): string {
  return table.hashes.slice(i * HASH_LENGTH, (i + 1) * HASH_LENGTH)
}

/** Whether the file whose stat is `now` is, unread, row `i` of `table`, recorded at time `taken`. */
export function unchangedRow(now: StatLike, table: InputTable, i: number, taken: number): boolean {
  return (
    now.size === table.sizes[i] &&
    now.mtimeMs === table.mtimes[i] &&
    now.ctimeMs === table.ctimes[i] &&
    now.ino === table.inos[i] &&
    now.ctimeMs < taken - RACY_MS
  )
}

/** Reads a table row by row, in order, without making a string per row. */
export class TableCursor {
  /** The current row. */
  row = 0
  private at = 0

  constructor(readonly table: InputTable) {}

  get done(): boolean {
    return this.row >= this.table.sizes.length
  }

  /** Whether the current row's path is `file`. */
  is(file: string): boolean {
    const { files } = this.table
    return !this.done && files.startsWith(file, this.at) && files.charCodeAt(this.at + file.length) === 0
  }

  /** The current row's path (a new string: for the rare row that is not the file the walk is at). */
  file(): string {
    return this.table.files.slice(this.at, this.table.files.indexOf('\0', this.at))
  }

  /** Where the current row starts in `files`: the rows before it are `files.slice(0, offset)`. */
  get offset(): number {
    return this.at
  }

  next(): void {
    this.at = this.table.files.indexOf('\0', this.at) + 1
    this.row++
  }
}

/** A table written row by row. */
export class TableBuilder {
  private readonly files: string[] = []
  private readonly hashes: string[] = []
  private readonly table = emptyTable()

  add(file: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string): void {
    this.files.push(file, '\0')
    this.hashes.push(hash)
    this.table.sizes.push(size)
    this.table.mtimes.push(mtimeMs)
    this.table.ctimes.push(ctimeMs)
    this.table.inos.push(ino)
  }

  /** Adds row `i` of `from`, whose path is `file`. */
  copy(from: InputTable, i: number, file: string): void {
    this.add(file, from.sizes[i]!, from.mtimes[i]!, from.ctimes[i]!, from.inos[i]!, hashAt(from, i))
  }

  /** Adds the first `rows` rows of `from`, which end at `offset` in its paths. */
  copyFirst(from: InputTable, rows: number, offset: number): void {
    if (rows === 0) return
    this.files.push(from.files.slice(0, offset))
    this.hashes.push(from.hashes.slice(0, rows * HASH_LENGTH))
    for (let i = 0; i < rows; i++) {
      this.table.sizes.push(from.sizes[i]!)
      this.table.mtimes.push(from.mtimes[i]!)
      this.table.ctimes.push(from.ctimes[i]!)
      this.table.inos.push(from.inos[i]!)
    }
  }

  build(): InputTable {
    return { ...this.table, files: this.files.join(''), hashes: this.hashes.join('') }
  }
}
