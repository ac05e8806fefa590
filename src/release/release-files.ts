/**
 * A release as a set of files known by name and digest, and how it stands
 * against what an index or registry holds: a file is there only when the
 * same name has the same digest. A same-named file with another digest is a
 * conflict, never "already there". Pure, and without imports: 'runts' exports it as it loads.
 */
/** A file of the release, on this machine. */
export interface ReleaseFile {
  filename: string
  /** Its absolute path. */
  path: string
  /** sha256 (hex) for a PyPI file, the integrity (`sha512-…`) for an npm tarball. */
  digest: string
}

/** A file as an index or registry lists it. */
export interface ListedFile {
  filename: string
  /** undefined when the index lists no digest for it. */
  digest?: string
}

export interface Conflict {
  filename: string
  /** What this release has. */
  ours: string
  /** What the index lists (undefined: it lists none). */
  theirs?: string
}

export interface Standing {
  /** On the index with the same digest. */
  same: ReleaseFile[]
  /** Not on the index. */
  missing: ReleaseFile[]
  /** On the index under the same name, with another digest (or none that can be compared). */
  conflicts: Conflict[]
}

/** What a PyPI-style index lists (`{ filename, sha256 }`), in the form `compareFiles` takes. */
export function listedFiles(files: readonly { filename: string; sha256?: string }[]): ListedFile[] {
  return files.map((f) => ({ filename: f.filename, digest: f.sha256 }))
}

/** How `ours` stands against `listed` (pure). */
export function compareFiles(ours: readonly ReleaseFile[], listed: readonly ListedFile[]): Standing {
  const standing: Standing = { same: [], missing: [], conflicts: [] }
  for (const file of ours) {
    const there = listed.find((l) => l.filename === file.filename)
    if (there === undefined) standing.missing.push(file)
    else if (there.digest !== undefined && equalDigests(there.digest, file.digest)) standing.same.push(file)
    else standing.conflicts.push({ filename: file.filename, ours: file.digest, theirs: there.digest })
  }
  return standing
}

/** `NAME on WHERE has sha256 A, this release's has sha256 B`, one line per conflict. */
export function describeConflicts(conflicts: readonly Conflict[], where: string, label = 'sha256'): string {
  return conflicts
    .map((c) =>
      c.theirs === undefined
        ? `${c.filename} is on ${where} without a ${label} to compare (this one's: ${c.ours})`
        : `${c.filename} on ${where} has ${label} ${c.theirs}, this one has ${label} ${c.ours}`,
    )
    .join('; ')
}

function equalDigests(a: string, b: string): boolean {
  // Hex digests in any case; SRI strings exactly.
  return /^[0-9a-f]+$/i.test(a) && /^[0-9a-f]+$/i.test(b) ? a.toLowerCase() === b.toLowerCase() : a === b
}
