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
    if (!value || !isSecret(name)) continue
    if (value.length < MIN_SECRET_LENGTH) tooShort.add(name)
    else for (const form of secretForms(value)) values.add(form)
  }
  return { values: [...values], tooShort: [...tooShort] }
}

/** Values of variables declared secret by name (`secret: [...]` on a task, `export const secrets = [...]`). */
export function declaredSecrets(names: Iterable<string>, env: Readonly<Record<string, string | undefined>>): Secrets {
  const picked: Record<string, string | undefined> = {}
  for (const name of names) picked[name] = env[name]
  return findSecrets(picked, () => true)
}
