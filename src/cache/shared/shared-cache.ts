/**
 * The shared cache as the rest of the cache sees it: entries come down into
 * the local store and go up from it. What comes down is untrusted (anyone
 * with the team's token can upload under any key): it streams to a file
 * within the size limit, its signature is checked when a key is set, it is
 * unpacked only if every archive entry is a plain file or folder that the
 * task's outputs match (confine.ts), and each file is checked against its
 * hash; anything else refuses the whole artifact.
 *
 * Nothing here fails a run: a server that is down, slow, refuses the token or
 * sends a damaged, refused or unsigned artifact means the task runs, and one
 * warning for the whole run says why. After the server itself fails, it is
 * not asked again in this run (each ask would cost another wait).
 */
import { rmSync } from 'node:fs'
import type { InputSet } from '../inputs/input-set.js'
import type { RemoteConfig } from '../remote-config.js'
import { ENTRY_FILES } from '../store/entry-format.js'
import type { LocalStore } from '../store/local-store.js'
import { packFolder, unpackFolder } from './archive.js'
import { refusedEntry, verifyEntry } from './artifact-check.js'
import { TooLarge } from './limit.js'
import { RemoteClient, RemoteError } from './remote-client.js'

/** A task as the shared cache needs it: its name (for warnings) and the outputs an artifact may hold. */
export interface SharedTask {
  name: string
  outputs: InputSet
}

/** The shared cache for one run: fetches, uploads, and its one warning. */
export class SharedCache {
  private readonly client: RemoteClient
  private reads = true
  private writes = true
  private warned = false
  private readonly uploads = new Set<Promise<void>>()

  constructor(
    readonly config: RemoteConfig,
    private readonly warn: (message: string) => void,
  ) {
    this.client = new RemoteClient(config)
  }

  /** Brings the entry into the local store; false when the server does not have it or cannot give it whole. */
  async fetch(key: string, task: SharedTask, store: LocalStore): Promise<boolean> {
    if (!this.reads) return false
    const download = store.scratchFile(`${key}.tgz`)
    try {
      try {
        if (!(await this.client.download(key, download))) return false
      } catch (error) {
        this.failed(error, task.name, 'read')
        return false
      }
      const scratch = store.scratch(key)
      try {
        await unpackFolder(download, scratch, this.config.maxBytes, (entry, type) => refusedEntry(entry, type, task.outputs))
        const { bytes } = verifyEntry(scratch, key, task.outputs)
        store.publish(scratch, key, bytes)
        return true
      } catch (error) {
        rmSync(scratch, { recursive: true, force: true })
        this.report(`sent an artifact for ${task.name} that was refused whole (${reason(error)}); the task runs`)
        return false
      }
    } finally {
      rmSync(download, { force: true })
    }
  }

  /** Sends a stored entry up, in the background: `flush` waits for it. */
  upload(key: string, task: string, store: LocalStore, durationMs: number): void {
    if (!this.writes) return
    const upload = (async () => {
      const file = store.scratchFile(`${key}.tgz`)
      try {
        const signer = this.client.signer(key)
        let size: number
        try {
          size = await packFolder(store.dir(key), ENTRY_FILES, file, this.config.maxBytes, signer && ((chunk) => signer.update(chunk)))
        } catch (error) {
          // Too large, evicted meanwhile, or a disk problem: ours, not the server's.
          if (error instanceof TooLarge) return this.report(`was not sent ${task}'s outputs: ${error.message}`)
          return this.report(`was not sent ${task}'s outputs: they could not be packed (${reason(error)})`)
        }
        try {
          await this.client.upload(key, file, size, durationMs, signer?.tag())
        } catch (error) {
          this.failed(error, task, 'write')
        }
      } finally {
        rmSync(file, { force: true })
      }
    })()
    this.uploads.add(upload)
    void upload.finally(() => this.uploads.delete(upload))
  }

  /** Resolves once every upload ended (each is bounded by the client's timeouts). */
  async flush(): Promise<void> {
    while (this.uploads.size > 0) await Promise.allSettled([...this.uploads])
  }

  /** Says something once per run: the first thing that went wrong with the shared cache. */
  report(message: string): void {
    if (this.warned) return
    this.warned = true
    let text = `remote cache ${this.config.shown} ${message}`
    if (this.config.token) text = text.replaceAll(this.config.token, '***')
    this.warn(text)
  }

  private failed(error: unknown, task: string, direction: 'read' | 'write'): void {
    if (error instanceof RemoteError && error.kind === 'signature') {
      // Another key signs what is there: uploads signed with ours would be refused by those clients in turn.
      this.writes = false
      this.report(`sent an artifact for ${task}, but ${error.message}; the task runs${error.hint ? ` (${error.hint})` : ''}`)
      return
    }
    if (error instanceof RemoteError && error.kind === 'too-large') {
      // One artifact, not the server.
      if (direction === 'read') this.report(`sent an artifact for ${task} that was refused: ${error.message}; the task runs`)
      else this.report(`was not sent ${task}'s outputs: ${error.message}`)
      return
    }
    // The server itself failed: asking again would fail (or wait) again.
    if (direction === 'read') this.reads = false
    this.writes = false
    this.report(`${reason(error)}; ${direction === 'read' ? 'tasks run without it' : `${task}'s outputs were not uploaded`}`)
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
