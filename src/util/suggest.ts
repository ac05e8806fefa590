/** "Did you mean …": the known names closest to a typo. */

export function suggest(input: string, names: readonly string[], max = 3): string[] {
  const limit = Math.max(1, Math.floor(input.length / 3))
  return names
    .map((name) => ({ name, d: distance(input.toLowerCase(), name.toLowerCase()) }))
    .filter(({ name, d }) => d <= limit || name.toLowerCase().startsWith(input.toLowerCase()))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map(({ name }) => name)
}

export function didYouMean(input: string, names: readonly string[]): string | undefined {
  const found = suggest(input, names)
  return found.length > 0 ? `did you mean ${found.map((n) => `'${n}'`).join(' or ')}?` : undefined
}

/** Damerau-Levenshtein distance (optimal string alignment). */
function distance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[] = new Array(rows * cols).fill(0)
  for (let i = 0; i < rows; i++) d[i * cols] = i
  for (let j = 0; j < cols; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1)
      }
      d[i * cols + j] = best
    }
  }
  return d[rows * cols - 1]!
}
