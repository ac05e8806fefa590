/**
 * Secret masking: every occurrence of a secret value becomes `***`.
 * `Masker.mask` works on whole strings (messages, traced commands);
 * `StreamMasker` on a stream cut into arbitrary chunks, holding back only a
 * tail that could still be the start of a secret.
 */

import { Prefilter } from './prefilter.js'

export const MASK = '***'

export class Masker {
  secrets: readonly string[] = []
  private pattern: RegExp | undefined
  private prefilter: Prefilter | undefined

  constructor(secrets: Iterable<string>) {
    this.add(secrets)
  }

  private readonly listeners: Array<(added: readonly string[]) => void> = []

  /** Be told of every value added from now on (to announce it to a CI log that masks too). */
  onAdd(listener: (added: readonly string[]) => void): void {
    this.listeners.push(listener)
  }

  /** More values to mask from now on (secrets the tasks file declares). */
  add(secrets: Iterable<string>): void {
    const added = [...secrets].filter((s) => s.length > 0 && !this.secrets.includes(s))
    if (added.length === 0) return
    for (const listener of this.listeners) listener(added)
    this.twin?.add(added.map(latin1))
    // Longest first, so that a secret containing another is masked whole.
    this.secrets = [...new Set([...this.secrets, ...added])].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
    this.pattern = this.secrets.length > 0 ? new RegExp(this.secrets.map(escapeRegExp).join('|'), 'g') : undefined
    this.prefilter = this.secrets.length > 0 ? new Prefilter(this.secrets) : undefined
  }

  private twin: Masker | undefined

  /** A masker of the same secrets for output handled byte by byte (latin1 strings of their UTF-8 bytes), kept in step with add(). */
  byteMasker(): Masker {
    this.twin ??= new Masker(this.secrets.map(latin1))
    return this.twin
  }

  get active(): boolean {
    return this.pattern !== undefined
  }

  mask(text: string): string {
    return this.pattern && this.prefilter?.mayContain(text) ? text.replace(this.pattern, MASK) : text
  }

  /** Match ranges of secrets in `text`, left to right, not overlapping. */
  matches(text: string): Array<[number, number]> {
    if (!this.pattern || !this.prefilter?.mayContain(text)) return []
    const out: Array<[number, number]> = []
    for (const m of text.matchAll(this.pattern)) out.push([m.index, m.index + m[0].length])
    return out
  }

  /** Length of the longest tail of `text` that is a proper prefix of some secret. */
  heldTail(text: string): number {
    let best = 0
    const end = text.length
    for (const secret of this.secrets) {
      const first = secret.charCodeAt(0)
      for (let k = Math.min(secret.length - 1, end); k > best; k--) {
        if (text.charCodeAt(end - k) === first && endsWithPrefix(text, secret, k)) {
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

function latin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1')
}

/** Does `text` end with the first `k` characters of `secret`? */
function endsWithPrefix(text: string, secret: string, k: number): boolean {
  const at = text.length - k
  for (let i = 1; i < k; i++) if (text.charCodeAt(at + i) !== secret.charCodeAt(i)) return false
  return true
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
