/**
 * Artifact signatures as Turborepo makes them: HMAC-SHA256, keyed with the
 * signature key, over the artifact's hash, then the team id, then the body;
 * standard base64 (with padding), sent in `x-artifact-tag`. Turborepo signs
 * with the team id (`team_…`) when it has one, and with nothing when the team
 * is named by its slug; so do we. The body streams through `Signer`.
 */
import { createHmac, type Hmac, timingSafeEqual } from 'node:crypto'

/** A signature taken over a body as it streams past. */
export class Signer {
  private readonly hmac: Hmac

  constructor(secret: string, hash: string, teamId: string) {
    this.hmac = createHmac('sha256', secret).update(hash).update(teamId)
  }

  update(chunk: Uint8Array): void {
    this.hmac.update(chunk)
  }

  /** The `x-artifact-tag` (call once, after the whole body). */
  tag(): string {
    return this.hmac.digest('base64')
  }
}

/** The `x-artifact-tag` of an artifact. */
export function signArtifact(secret: string, hash: string, teamId: string, body: Uint8Array): string {
  const signer = new Signer(secret, hash, teamId)
  signer.update(body)
  return signer.tag()
}

/** True only when `tag` is `expected` (a signature from `Signer.tag`), compared in constant time. */
export function sameTag(expected: string, tag: string | undefined): boolean {
  if (!tag) return false
  const want = Buffer.from(expected, 'base64')
  const given = Buffer.from(tag, 'base64')
  return given.length === want.length && timingSafeEqual(given, want)
}

/** True only when `tag` is the signature of exactly this artifact. */
export function verifyArtifact(secret: string, hash: string, teamId: string, body: Uint8Array, tag: string | undefined): boolean {
  return sameTag(signArtifact(secret, hash, teamId, body), tag)
}
