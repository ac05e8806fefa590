/**
 * Which entries the shared cache may see. A task's key is the name of its
 * artifact on the server, and anyone with the team's token can ask about any
 * name: a secret's value must never be in a key in a form they could test a
 * guess against. So a secret enters a key only as an HMAC (secret-keys.ts):
 * under the signing key when there is one (the task is then shared by every
 * clone that holds the key), else under this cache's own salt, and then the
 * task is not shared at all, which a run says once.
 */
import { isSecretName } from '../env/secrets.js'
import type { TaskNode } from '../plan/graph.js'
import type { Fingerprint } from './fingerprint/fingerprint.js'
import { SecretKeys } from './fingerprint/secret-keys.js'

export interface SharingOptions {
  /** The shared cache's signing key, when one is set. */
  signatureKey?: string
  /** This cache's own salt. */
  salt: () => string
  /** The values the run masks: a variable or an arg holding one is secret. */
  secretValues: readonly string[]
  /** A shared cache is set up (else there is nothing to say). */
  remote: boolean
  warn: (message: string) => void
}

export class Sharing {
  /** How secret values enter keys. */
  readonly keys: SecretKeys
  private told = false

  constructor(private readonly options: SharingOptions) {
    const { secretValues } = options
    this.keys = new SecretKeys({
      signatureKey: options.signatureKey,
      salt: options.salt,
      // A value that holds a secret is one: a DATABASE_URL holds its password.
      isSecret: (name, value) => isSecretName(name) || (value !== undefined && secretValues.some((secret) => value.includes(secret))),
      secretValues,
    })
  }

  /**
   * Whether an entry of this fingerprint may come from or go to the shared cache: not when secret values
   * are in its key and there is no signing key to key them with (said once per run).
   */
  shareable(task: TaskNode, now: Fingerprint): boolean {
    if (now.secrets.length === 0 || this.keys.shared) return true
    if (this.options.remote && !this.told) {
      this.told = true
      this.options.warn(
        `${task.name} reads secrets (${now.secrets.join(', ')}), so it is cached on this machine only, not in the remote cache: ` +
          'without RUNTS_REMOTE_CACHE_SIGNATURE_KEY, anyone with the remote cache token could test guesses of their values. ' +
          'Set the same RUNTS_REMOTE_CACHE_SIGNATURE_KEY on every clone to share such tasks',
      )
    }
    return false
  }
}
