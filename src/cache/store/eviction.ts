/**
 * Which entries leave the local store when it is over its size: least
 * recently used first, until what stays fits. Pure.
 */

/** An entry's size and last use. */
export interface EntryUsage {
  key: string
  bytes: number
  /** When it was last stored or used (ms). */
  usedAt: number
}

/** The keys to remove so that the rest fit in `maxBytes`; `keep` (the entry just written) is never chosen. */
export function chooseEvictions(entries: readonly EntryUsage[], maxBytes: number, keep?: string): string[] {
  let total = 0
  for (const entry of entries) total += entry.bytes
  if (total <= maxBytes) return []
  const oldestFirst = [...entries].sort((a, b) => a.usedAt - b.usedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const out: string[] = []
  for (const entry of oldestFirst) {
    if (total <= maxBytes) break
    if (entry.key === keep) continue
    out.push(entry.key)
    total -= entry.bytes
  }
  return out
}
