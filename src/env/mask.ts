/**
 * Secret masking: every occurrence of a secret value becomes `***`.
 * `Masker.mask` works on whole strings (messages, traced commands);
 * `StreamMasker` on a stream cut into arbitrary chunks, holding back only a
 * tail that could still be the start of a secret.
 */

export const MASK = '***'

export class Masker {
  readonly secrets: readonly string[]
  private readonly pattern: RegExp | undefined

  constructor(secrets: Iterable<string>) {
    // Longest first, so that a secret containing another is masked whole.
    this.secrets = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
    this.pattern = this.secrets.length > 0 ? new RegExp(this.secrets.map(escapeRegExp).join('|'), 'g') : undefined
  }

  get active(): boolean {
    return this.pattern !== undefined
  }

  mask(text: string): string {
    return this.pattern ? text.replace(this.pattern, MASK) : text
  }

  /** Match ranges of secrets in `text`, left to right, not overlapping. */
  matches(text: string): Array<[number, number]> {
    if (!this.pattern) return []
    const out: Array<[number, number]> = []
    for (const m of text.matchAll(this.pattern)) out.push([m.index, m.index + m[0].length])
    return out
  }

  /** Length of the longest tail of `text` that is a proper prefix of some secret. */
  heldTail(text: string): number {
    let best = 0
    for (const secret of this.secrets) {
      const max = Math.min(secret.length - 1, text.length)
      for (let k = max; k > best; k--) {
        if (text.endsWith(secret.slice(0, k))) {
          best = k
          break
        }
      }
    }
    return best
  }
}

export class StreamMasker {
  private pending = ''

  constructor(private readonly masker: Masker) {}

  /** Feed a chunk; returns what can be shown now. */
  push(chunk: string): string {
    if (!this.masker.active) return chunk
    const text = this.pending + chunk
    let cut = text.length - this.masker.heldTail(text)
    const matches = this.masker.matches(text)
    for (const [start, end] of matches) if (start < cut && end > cut) cut = start
    let out = ''
    let at = 0
    for (const [start, end] of matches) {
      if (end > cut) break
      out += text.slice(at, start) + MASK
      at = end
    }
    out += text.slice(at, cut)
    this.pending = text.slice(cut)
    return out
  }

  /** The stream ended: show the rest. */
  end(): string {
    const rest = this.masker.mask(this.pending)
    this.pending = ''
    return rest
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
