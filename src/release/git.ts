/**
 * git for the release checks: run in the project root, output as text,
 * failures as messages a user can act on (not a git repository, no git).
 */
import { execFile } from 'node:child_process'

export class GitError extends Error {
  override name = 'GitError'
}

/** Run `git ARGS` in `cwd` (with `env` added to the environment); resolves to stdout. Throws a GitError saying what is wrong. */
export function git(args: readonly string[], cwd: string, signal?: AbortSignal, env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      // A pager or a prompt would hang a check; a translated message would not match below.
      {
        cwd,
        signal,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, ...env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout)
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') return reject(new GitError(`git is not installed (or not on PATH): the release checks need it`))
        if (/not a git repository/i.test(stderr)) {
          return reject(new GitError(`${cwd} is not in a git repository: run 'git init' and commit, or run from the repository`))
        }
        reject(new GitError(`git ${args.join(' ')} failed in ${cwd}: ${stderr.trim() || error.message}`))
      },
    )
  })
}

/** Does HEAD point at a commit (false in a repository with no commit yet)? */
export async function hasCommits(cwd: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await git(['rev-parse', '--verify', '--quiet', 'HEAD'], cwd, signal)
    return true
  } catch (error) {
    if (error instanceof GitError && /is not in a git repository|git is not installed/.test(error.message)) throw error
    return false
  }
}
