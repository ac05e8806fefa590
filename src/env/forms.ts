/**
 * The forms a secret takes in what programs print: as is, each line of a
 * multi-line value, base64 (at each of the three byte alignments, standard
 * and URL-safe), URL-encoded and JSON-escaped. Each form is masked.
 */
/** Shorter values are not masked: they would blank out ordinary text. */
export const MIN_SECRET_LENGTH = 4

export function secretForms(value: string): string[] {
  const forms = new Set<string>([value])
  for (const line of value.split(/\r?\n/)) if (line.length >= MIN_SECRET_LENGTH) forms.add(line)
  for (const form of [...forms]) {
    forms.add(encodeURIComponent(form))
    forms.add(encodeURIComponent(form).replace(/%20/g, '+'))
    forms.add(JSON.stringify(form).slice(1, -1))
    for (const b64 of base64Forms(form)) {
      forms.add(b64)
      forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'))
    }
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH)
}

/**
 * The base64 characters that depend on the secret's bytes alone, for the
 * secret starting at byte offset 0, 1 or 2 of a 3-byte group: what shows up
 * whatever surrounds it in an encoded blob.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8')
  const out: string[] = []
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    const first = Math.ceil((offset * 8) / 6)
    const end = Math.floor(((offset + bytes.length) * 8) / 6)
    out.push(encoded.slice(first, end))
  }
  return out
}
