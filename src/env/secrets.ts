/** Which values are secret: by the variable's name (see SPEC.md). */

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL/i
/** Shorter values are not masked: they would blank out ordinary text. */
export const MIN_SECRET_LENGTH = 4

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name)
}

export interface Secrets {
  /** Values to mask. */
  values: string[]
  /** Secret variables too short to mask, to warn about once each. */
  tooShort: string[]
}

export function findSecrets(env: Readonly<Record<string, string | undefined>>): Secrets {
  const values = new Set<string>()
  const tooShort: string[] = []
  for (const [name, value] of Object.entries(env)) {
    if (!value || !isSecretName(name)) continue
    if (value.length < MIN_SECRET_LENGTH) {
      tooShort.push(name)
      continue
    }
    values.add(value)
    // A multi-line secret is also masked line by line, as programs print it.
    for (const line of value.split(/\r?\n/)) if (line.length >= MIN_SECRET_LENGTH) values.add(line)
  }
  return { values: [...values], tooShort }
}
