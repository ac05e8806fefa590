/**
 * The shared cache as the rest of the cache sees it: entries come down into
 * the local store and go up from it. Nothing here fails a run: a server that
 * is down, slow, refuses the token or sends a damaged or unsigned artifact
 * means the task runs, and one warning for the whole run says why. After the
 * server itself fails, it is not asked again in this run (each ask would cost
 * another wait).
 */
import { lstatSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { packFolder, unpackFolder } from './archive.js'
import { OUTPUTS_DIR } from './copies.js'
import { hashFile, hashOf } from './hash.js'
import { RemoteClient, RemoteError } from './remote-client.js'
import type { RemoteConfig } from './remote-config.js'
import { ENTRY_FILES, ENTRY_FORMAT, type EntryMeta, type LocalStore } from './store.js'

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
  async fetch(key: string, task: string, store: LocalStore): Promise<boolean> {
    if (!this.reads) return false
    let body: Buffer | undefined
    try {
      body = await this.client.get(key)
    } catch (error) {
      this.failed(error, task, 'read')
      return false
    }
    if (!body) return false
    const scratch = store.scratch(key)
    let bytes: number
    try {
      await unpackFolder(body, scratch, ENTRY_FILES)
      bytes = verifyEntry(scratch, key).bytes
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true })
      this.report(`sent a damaged artifact for ${task} (${reason(error)}); the task runs`)
      return false
    }
    store.publish(scratch, key, bytes)
    return true
  }

  /** Whether the server has the entry (for `--why`); false when it cannot tell. */
  async has(key: string, task: string): Promise<boolean> {
    if (!this.reads) return false
    try {
      return await this.client.exists(key)
    } catch (error) {
      this.failed(error, task, 'read')
      return false
    }
  }

  /** Sends a stored entry up, in the background: `flush` waits for it. */
  upload(key: string, task: string, store: LocalStore, durationMs: number): void {
    if (!this.writes) return
    const upload = (async () => {
      let body: Buffer
      try {
        body = await packFolder(store.dir(key), ENTRY_FILES)
      } catch (error) {
        // Evicted meanwhile, or a disk problem: ours, not the server's.
        return this.report(`was not sent ${task}'s outputs: they could not be packed (${reason(error)})`)
      }
      try {
        await this.client.put(key, body, durationMs)
      } catch (error) {
        this.failed(error, task, 'write')
      }
    })()
    this.uploads.add(upload)
    void upload.finally(() => this.uploads.delete(upload))
  }

  /** Resolves once every upload ended (each is bounded by the client's timeouts). */
  async flush(): Promise<void> {
    while (this.uploads.size > 0) await Promise.allSettled([...this.uploads])
  }

  private failed(error: unknown, task: string, direction: 'read' | 'write'): void {
    if (error instanceof RemoteError && error.kind === 'signature') {
      // Another key signs what is there: uploads signed with ours would be refused by those clients in turn.
      this.writes = false
      this.report(`sent an artifact for ${task}, but ${error.message}; the task runs${error.hint ? ` (${error.hint})` : ''}`)
      return
    }
    // The server itself failed: asking again would fail (or wait) again.
    if (direction === 'read') this.reads = false
    this.writes = false
    this.report(`${reason(error)}; ${direction === 'read' ? 'tasks run without it' : `${task}'s outputs were not uploaded`}`)
  }

  private report(message: string): void {
    if (this.warned) return
    this.warned = true
    let text = `remote cache ${this.config.shown} ${message}`
    if (this.config.token) text = text.replaceAll(this.config.token, '***')
    this.warn(text)
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The description of an entry built elsewhere (a shared-cache artifact), once its files check out against it; and its size. */
export function verifyEntry(dir: string, key: string): { meta: EntryMeta; bytes: number } {
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as EntryMeta
  if (meta.format !== ENTRY_FORMAT || meta.key !== key || !Array.isArray(meta.outputs)) throw new Error('its description does not match')
  let bytes = 0
  for (const output of meta.outputs) {
    const { file } = output
    // Outputs are files inside the project, never anywhere else.
    if (typeof file !== 'string' || path.isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
      throw new Error(`it names an output outside the project (${JSON.stringify(file)})`)
    }
    const copy = path.join(dir, OUTPUTS_DIR, file)
    if (!lstatSync(copy, { throwIfNoEntry: false })?.isFile()) throw new Error(`it lacks ${file}`)
    if (hashFile(copy) !== output.hash) throw new Error(`${file} does not match its hash`)
    bytes += output.size
  }
  const log = readFileSync(path.join(dir, 'output.log'))
  if (hashOf(log) !== meta.log) throw new Error('its output log does not match its hash')
  return { meta, bytes: bytes + log.length }
}
