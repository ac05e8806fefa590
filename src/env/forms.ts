/**
 * The forms a secret takes in what programs print: as is, each line of a
 * multi-line value, base64 (at each of the three byte alignments, standard
 * and URL-safe), URL-encoded (as encodeURIComponent, encodeURI, forms and
 * Python's quote write it), JSON-escaped, and shell-quoted (bash's $'…', as
 * a traced command shows it, and POSIX '…'). Each form is masked.
 */
/** Shorter values are not masked: they would blank out ordinary text. */
export const MIN_SECRET_LENGTH = 4

export function secretForms(value: string): string[] {
  const forms = new Set<string>([value])
  for (const line of value.split(/\r?\n/)) if (line.length >= MIN_SECRET_LENGTH) forms.add(line)
  for (const form of [...forms]) {
    const component = encodeURIComponent(form)
    forms.add(component)
    forms.add(component.replace(/%20/g, '+'))
    forms.add(component.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()))
    forms.add(encodeURI(form))
    forms.add(component.replace(/%2F/g, '/')) // Python's urllib.parse.quote keeps '/'
    forms.add(JSON.stringify(form).slice(1, -1))
    // As zx (and bash's printf %q) quote it in a traced command: $'it\'s'
    forms.add(ansiC(form))
    // As a POSIX shell single-quotes it: 'it'\''s'
    forms.add(form.replace(/'/g, "'\\''"))
    for (const b64 of base64Forms(form)) {
      forms.add(b64)
      forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'))
    }
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH)
}

/** The inside of bash's $'…' quoting, as zx's quote() writes it. */
function ansiC(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\f/g, '\\f')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\v/g, '\\v')
    .replace(/\0/g, '\\0')
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
