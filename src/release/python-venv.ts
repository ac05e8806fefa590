/**
 * The install check of a Python release: a fresh venv outside the project,
 * the package installed into it, and its modules imported there with
 * `python -I` (never the project's own source folder). The commands run
 * through runts' `$`: their output streams as the task's, masked.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { $ } from '../api/shell.js'

export interface FreshVenvCheck {
  /** The Python that makes the venv (its pip installs into it when it is 22.3 or newer). */
  python: string
  /** What to install: one `pip install` per entry, in order, each with these arguments. */
  installs: string[][]
  /** The modules to import once installed. */
  modules: string[]
  /** Added to the message when the import fails: what to do. */
  hint?: string
}

/** Installs into a fresh venv and imports the modules; throws saying which step failed and why. */
export async function importInFreshVenv(check: FreshVenvCheck): Promise<void> {
  if (check.modules.length === 0) throw new Error(`nothing to import: ${check.hint ?? 'name the modules'}`)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-venv-'))
  try {
    const venvPython = path.join(dir, process.platform === 'win32' ? 'Scripts' : 'bin', 'python')
    // A venv without pip of its own takes a tenth of a second, and PYTHON's pip installs into it
    // (pip 22.3 and newer); an older pip gets a venv with pip, which takes seconds.
    const pipVersion = (await $({ quiet: true })`${check.python} -m pip --version`).stdout.match(/^pip (\d+)\.(\d+)/)
    const pipTakesPython = pipVersion !== null && Number(pipVersion[1]) * 100 + Number(pipVersion[2]) >= 2203
    await $`${check.python} -m venv ${pipTakesPython ? ['--without-pip'] : []} ${dir}`
    const pip = pipTakesPython ? [check.python, '-m', 'pip', '--python', venvPython] : [venvPython, '-m', 'pip']
    const inVenv = $({ cwd: dir })
    for (const install of check.installs) {
      // --isolated: no pip.conf or PIP_* variable adds an index or a folder of wheels to look in.
      await inVenv`${pip} --isolated install --no-cache-dir --disable-pip-version-check ${install}`
    }
    const code = check.modules.map((m) => `import ${m}`).join('; ')
    try {
      await inVenv`${venvPython} -I -c ${code}`
    } catch (error) {
      const said =
        String((error as { stderr?: string }).stderr ?? '')
          .trim()
          .split('\n')
          .at(-1) ?? ''
      throw new Error(`${code} failed in a fresh venv${said ? ` (${said})` : ''}${check.hint ? `: ${check.hint}` : ''}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
