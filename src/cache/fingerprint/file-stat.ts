/**
 * A file as the cache last saw it, and when that record can stand for the
 * file without reading it. Size and modification time alone can be fooled: a
 * tool that pins mtime (`touch -d`, `cp -p`, `tar -x`, a SOURCE_DATE_EPOCH
 * build) writes new content under an old time. The change time (ctime) cannot
 * be set by a program, and moves on every write, rename or time change; the
 * inode tells a file replaced by another. So a record is trusted only when
 * size, mtime, ctime and inode all match and the ctime is older than the
 * record by more than the clock's grain (a file written in the same instant
 * as the record is read again): otherwise the content is hashed.
 */

/** Change times this close to when the record was taken are checked by content. */
export const RACY_MS = 2000

/** An output as it was after the run or the restore: path, size, mtime, ctime (ms), inode. */
export type OutputStat = [file: string, size: number, mtimeMs: number, ctimeMs: number, ino: number]

/** What a stat tells of a file. */
export interface StatLike {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}

/**
 * Whether a file whose stat is `now` is, without reading it, the output recorded as `was` (size, mtime,
 * ctime, inode) at time `taken`.
 */
export function unchanged(now: StatLike, was: OutputStat, taken: number): boolean {
  return now.size === was[1] && now.mtimeMs === was[2] && now.ctimeMs === was[3] && now.ino === was[4] && now.ctimeMs < taken - RACY_MS
}
