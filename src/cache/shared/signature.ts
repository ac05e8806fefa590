/**
 * Artifact signatures as Turborepo makes them: HMAC-SHA256, keyed with the
 * signature key, over the artifact's hash, then the team id, then the body;
 * standard base64 (with padding), sent in `x-artifact-tag`. Turborepo signs
 * with the team id (`team_…`) when it has one, and with nothing when the team
 * is named by its slug; so do we.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The `x-artifact-tag` of an artifact. */
export function signArtifact(secret: string, hash: string, teamId: string, body: Uint8Array): string {
  return createHmac('sha256', secret).update(hash).update(teamId).update(body).digest('base64')
}

/** True only when `tag` is the signature of exactly this artifact. */
export function verifyArtifact(secret: string, hash: string, teamId: string, body: Uint8Array, tag: string | undefined): boolean {
  if (!tag) return false
  const expected = Buffer.from(signArtifact(secret, hash, teamId, body), 'base64')
  const given = Buffer.from(tag, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
