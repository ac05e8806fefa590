/**
 * What an entry of the local store holds, and so what a shared-cache artifact
 * holds: `meta.json` (this description), `output.log` (what the task printed,
 * masked) and `outputs/` (copies of its output files, by their paths from the
 * project root).
 */

/** An entry of another format is not used. */
export const ENTRY_FORMAT = 'runts-entry/2'
/** An entry's folder of output files. */
export const OUTPUTS_DIR = 'outputs'
/** What a shared-cache artifact holds of an entry (`outputs` is a folder). */
export const ENTRY_FILES = ['meta.json', 'output.log', OUTPUTS_DIR] as const

/** An output as stored: path from the root, size, content hash, and its time, which a restored copy gets back. */
export interface OutputFile {
  file: string
  size: number
  hash: string
  mtimeMs?: number
}

/** An entry's `meta.json`. */
export interface EntryMeta {
  format: string
  key: string
  task: string
  /** How long the task took (ms): what a hit saves. */
  duration: number
  outputs: OutputFile[]
  /** The hash of `output.log` (each output's own is in `outputs`), checked before an entry from elsewhere is used. */
  log: string
}
