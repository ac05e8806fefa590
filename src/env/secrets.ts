/** Which values are secret: by the variable's name (README, "Environment and secrets"), or declared by the tasks file. */
import { decodedUri } from '../util/uri.js'
import { MIN_SECRET_LENGTH, secretForms } from './forms.js'

export { MIN_SECRET_LENGTH }

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL/i

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name)
}

/** An env file by its name (`.env`, `.env.local`, `.env.production`, `.envrc`, `deploy/prod.env`), with a path from the project root. */
const ENV_FILE = /(?:^|\/)(?:\.env(?:\.[^/]*)?|\.envrc|[^/]+\.env)$/
/** A committed template of one, which holds no secret. */
const ENV_TEMPLATE = /\.(?:example|sample|template|dist|defaults?)$/

/** Whether a file (a path from the project root) holds secrets by its name: an env file, not a template of one (`.env.example`). */
export function isSecretFile(file: string): boolean {
  return ENV_FILE.test(file) && !ENV_TEMPLATE.test(file)
}

export interface Secrets {
  /** Values to mask. */
  values: string[]
  /** Secret variables too short to mask, to warn about once each. */
  tooShort: string[]
}

type Variables = Readonly<Record<string, string | undefined>> | Iterable<readonly [string, string | undefined]>

/** The secrets among variables: a record, or name-value pairs (a name may come more than once). */
export function findSecrets(variables: Variables, isSecret = isSecretName): Secrets {
  const values = new Set<string>()
  const tooShort = new Set<string>()
  const pairs = Symbol.iterator in variables ? (variables as Iterable<readonly [string, string | undefined]>) : Object.entries(variables)
  for (const [name, value] of pairs) {
    if (!value) continue
    const secret = isSecret(name)
    // A password inside a URL, alone: a program prints it without the rest of the URL.
    for (const { user, password } of urlPasswords(value)) {
      const plain = decodedUri(password)
      if (!(secret ? plain.length >= MIN_SECRET_LENGTH : isLikelySecret(decodedUri(user), plain))) continue
      for (const form of [...secretForms(password), ...secretForms(plain)]) values.add(form)
    }
    if (!secret) continue
    if (value.length < MIN_SECRET_LENGTH) tooShort.add(name)
    else for (const form of secretForms(value)) values.add(form)
  }
  return { values: [...values], tooShort: [...tooShort] }
}

/**
 * In a variable not named or declared secret, a URL's password is taken for one when it is at least
 * `URL_PASSWORD_LENGTH` long and not the user name: a default credential (`postgres:postgres`,
 * `guest:guest`) or a short placeholder (`user:test`) is no secret, and masking it would blank out that
 * word wherever it is printed (task names, a generated Makefile's targets).
 */
const URL_PASSWORD_LENGTH = 8

function isLikelySecret(user: string, password: string): boolean {
  return password.length >= URL_PASSWORD_LENGTH && password !== user
}

/**
 * `scheme://user:PASSWORD@host/…`: each URL's user and password, as written (the caller decodes them). The
 * authority ends at the first `/`, `?`, `#` or space, and the user part at its last `@`, as URL parsers
 * read it (`u:p@ss@host` has the password `p@ss`). One pass over the value, however long.
 */
function urlPasswords(value: string): Array<{ user: string; password: string }> {
  const found: Array<{ user: string; password: string }> = []
  for (let at = value.indexOf('://'); at !== -1; at = value.indexOf('://', at + 3)) {
    if (at === 0 || !/[a-z\d+.-]/i.test(value[at - 1] as string)) continue
    const start = at + 3
    let end = start
    while (end < value.length && !/[\s/?#]/.test(value[end] as string)) end++
    const authority = value.slice(start, end)
    const userEnd = authority.lastIndexOf('@')
    const colon = authority.indexOf(':')
    if (userEnd === -1 || colon === -1 || colon > userEnd) continue
    const user = authority.slice(0, colon)
    const password = authority.slice(colon + 1, userEnd)
    found.push({ user, password })
  }
  return found
}

/** Values of variables declared secret by name (`secret: [...]` on a task, `export const secrets = [...]`). */
export function declaredSecrets(names: Iterable<string>, env: Readonly<Record<string, string | undefined>>): Secrets {
  const picked: Record<string, string | undefined> = {}
  for (const name of names) picked[name] = env[name]
  return findSecrets(picked, () => true)
}
