/** The Python test environment (see python-env.mjs). */
export interface PythonEnv {
  /** The venv's folder. */
  dir: string
  /** Its bin folder (Scripts on Windows). */
  bin: string
  /** Its python. */
  python: string
  /** Whether this call installed it. */
  installed: boolean
  /** How long the install took (0 when nothing was installed). */
  seconds: number
}
export const requirementsFile: string
export const envDir: string
/** Make (or reuse) the venv; resolves to its python and bin folder, and whether this call installed it. */
export function ensurePythonEnv(options?: { log?: (line: string) => void }): Promise<PythonEnv>
