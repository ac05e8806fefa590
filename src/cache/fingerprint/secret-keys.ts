/**
 * How the value of a secret enters a task's key. A key is the name of an
 * entry on the shared cache, which anyone with the cache's token can ask
 * about; a plain hash over a secret's value would let them test guesses of
 * it (`run --why` with a guessed password says `restores from cache` exactly
 * when the guess is right). So a secret value enters the key only as an HMAC:
 * under the shared cache's signing key (RUNTS_REMOTE_CACHE_SIGNATURE_KEY,
 * which every clone of the team holds and the server never sees), or, without
 * one, under this cache's own salt, and such a task is then not shared.
 */
import { createHmac } from 'node:crypto'

/** Which variables are secret, and what keys their values. */
export interface SecretKeyOptions {
  /** The shared cache's signing key, when one is set: keys of tasks that read secrets are then the same on every clone. */
  signatureKey?: string
  /** This cache's own salt (read when first needed). */
  salt: () => string
  /** Whether a variable is secret (by its name, declared so, or its value holds one of the run's secrets). */
  isSecret: (name: string, value: string | undefined) => boolean
  /** The values the run masks: args holding one are secret too. */
  secretValues: readonly string[]
}

export class SecretKeys {
  constructor(private readonly options: SecretKeyOptions) {}

  /** Whether a key that holds secrets is the same elsewhere: with a signing key only. */
  get shared(): boolean {
    return this.options.signatureKey !== undefined
  }

  isSecret(name: string, value: string | undefined): boolean {
    return this.options.isSecret(name, value)
  }

  /** Whether the args hold a secret value. */
  argsSecret(args: readonly string[]): boolean {
    const values = this.options.secretValues
    return values.length > 0 && args.some((arg) => values.some((secret) => arg.includes(secret)))
  }

  /** What stands for a secret value in a key: an HMAC no one without the key (or salt) can test a guess against. */
  part(name: string, value: string): string {
    const key = this.options.signatureKey ?? this.options.salt()
    return `hmac:${createHmac('sha256', key).update('runts-secret-in-key\0').update(name).update('\0').update(value).digest('base64url')}`
  }
}
