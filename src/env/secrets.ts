/** Which values are secret: by the variable's name (README, "Environment and secrets"), or declared by the tasks file. */
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
    if (!isSecret(name)) {
      for (const password of urlPasswords(value)) for (const form of secretForms(password)) values.add(form)
      continue
    }
    if (value.length < MIN_SECRET_LENGTH) tooShort.add(name)
    else for (const form of secretForms(value)) values.add(form)
  }
  return { values: [...values], tooShort: [...tooShort] }
}

/** `scheme://user:PASSWORD@host`: a password in a URL, whatever the variable is called (DATABASE_URL, a proxy, a git remote). */
const URL_PASSWORD = /[a-z][a-z\d+.-]*:\/\/[^\s/?#@:]*:([^\s/?#@]+)@/gi

/** The passwords written into URLs in `value`, as written and decoded, long enough to mask. */
function urlPasswords(value: string): string[] {
  if (!value.includes('@')) return []
  return [...value.matchAll(URL_PASSWORD)]
    .flatMap((m) => [m[1] as string, decoded(m[1] as string)])
    .filter((p) => p.length >= MIN_SECRET_LENGTH)
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Values of variables declared secret by name (`secret: [...]` on a task, `export const secrets = [...]`). */
export function declaredSecrets(names: Iterable<string>, env: Readonly<Record<string, string | undefined>>): Secrets {
  const picked: Record<string, string | undefined> = {}
  for (const name of names) picked[name] = env[name]
  return findSecrets(picked, () => true)
}
