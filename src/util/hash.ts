/** Content hashes; node:crypto is loaded on first use, never on the `run --list` path. */
import { createRequire } from 'node:module'

type Crypto = typeof import('node:crypto')
let crypto: Crypto | undefined

export function sha256(data: string | Uint8Array): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto
  return crypto.createHash('sha256').update(data).digest('hex')
}
