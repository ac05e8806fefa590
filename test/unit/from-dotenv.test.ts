/**
 * `.env` loaders told by what they do, and functions that change the caller's shell kept as calls,
 * not turned into deps that would run in another process.
 */
import { describe, expect, it } from 'vitest'
import { kids, parseBash } from '../../src/init/from/bash-parser.js'
import { dotenvUse } from '../../src/init/from/dotenv-loader.js'
import { convertTasksFile } from '../../src/init/from/index.js'

const convert = (text: string) => convertTasksFile('run.sh', text)
const use = async (body: string) => dotenvUse(kids(await parseBash(body, 'run.sh')))

describe('a .env loader, told by what it does', () => {
  it.each([
    'while read -r line; do export "$line"; done < .env',
    'while IFS= read -r line || [[ -n $line ]]; do\n  [[ $line =~ ^# ]] && continue\n  export "$line"\ndone < "$THIS_DIR/.env"',
    "export $(grep -v '^#' .env | xargs)",
    'set -o allexport\n[ -f .env ] && . ./.env\nset +o allexport',
    'for f in .env .env.local; do\n  test -f "$f" && source "$f"\ndone',
    "source <(grep -v '^#' .env)",
    'eval "$(cat .env)"',
    "while IFS='=' read -r key value; do export \"$key=$value\"; done < <(grep -v '^#' .env)",
    'cat .env | while read -r line; do export "$line"; done',
  ])('loads: %s', async (body) => {
    expect(await use(body)).toBe('loads')
  })

  it.each([
    ['it also prints', 'source .env\necho "loaded .env"'],
    ['it also runs something', '. .env\ndocker compose exec db psql -U "$POSTGRES_USER"'],
    ['it names the file through a variable', 'local env_file=.env\nset -a\nsource "$env_file"\nset +a'],
    ['it may stop the task', '[ -f .env ] || { echo "no .env" >&2; exit 1; }\nset -a; source .env; set +a'],
  ])('reads, without runts telling that it only loads, when %s', async (_, body) => {
    expect(await use(body)).toBe('reads')
  })

  it.each([
    ['it prints the file', 'cat .env'],
    ['it writes the file', 'cp .env.example .env\necho "EXTRA=1" >> .env'],
    ['it names .env in a message only', 'echo "edit .env first"'],
    ['it loads another file', 'source config/prod.env'],
  ])('is none when %s', async (_, body) => {
    expect(await use(body)).toBeUndefined()
  })
})

describe('run --init --from run.sh, with a .env loader', () => {
  it('drops a load_dot_env whose loop exports each line of .env, and the call to it: it is no task, no dep', async () => {
    const c = await convert(
      'set -euo pipefail\nload_dot_env() {\n  while read -r line; do\n    export "$line"\n  done < .env\n}\nbuild() { echo b; }\npublish:test() {\n  load_dot_env\n  build\n  echo "token $TOKEN"\n}\n"$@"\n',
    )
    expect(c.tasks).toEqual(['build', 'publish:test'])
    expect(c.dropped.map((d) => d.what)).toContain('load_dot_env()')
    expect(c.source).toMatch(/name: 'publish:test',\n {2}deps: \[build\],\n {2}run: \(\) => \$`echo "token \$TOKEN"`,/)
    expect(c.source).not.toMatch(/^\s*load_dot_env$/m)
  })

  it('keeps one it cannot tell, says so above it, and calls it where it was called (its variables stay in that shell)', async () => {
    const c = await convert(
      'set -euo pipefail\nload_env() {\n  local f=.env\n  source "$f"\n}\ndeploy() {\n  load_env\n  echo "to $URL"\n}\n"$@"\n',
    )
    expect(c.tasks).toEqual(['load_env', 'deploy'])
    expect(c.dropped.map((d) => d.what)).not.toContain('load_env()')
    expect(c.source).toMatch(/\/\/ load_env reads \.env, which runts loads itself .* runts cannot tell whether that is all it does/)
    expect(c.source).toMatch(/export const deploy = task\(\{\n {2}run: \(\) => sh`\n {4}load_env\n {4}echo "to \$URL"/)
    expect(c.source).toContain('const prelude = `set -euo pipefail\nload_env() {') // defined where deploy's script can call it
  })

  it('keeps any call to a function that changes the shell (a variable, cd, source) a call, not a dep', async () => {
    const c = await convert(
      'set -e\nactivate() { source .venv/bin/activate; }\nversion() { VERSION=$(cat VERSION); }\nlint() { echo "$(cd src && pwd)"; }\ntest() {\n  lint\n  activate\n  version\n  pytest\n}\n"$@"\n',
    )
    expect(c.source).toMatch(
      /export const test = task\(\{\n {2}deps: \[lint\],\n {2}run: \(\) => sh`\n {4}activate\n {4}version\n {4}pytest/,
    )
  })

  it('drops a top-level loop that loads .env', async () => {
    const c = await convert('set -e\nwhile read -r l; do export "$l"; done < .env\nhi() { echo "hi $NAME"; }\n"$@"\n')
    expect(c.dropped.map((d) => d.what)).toContain('while read -r l; do export "$l"; done < .env')
    expect(c.source).not.toMatch(/^[^/].*while read/m) // only in the list of what was left out
  })
})
