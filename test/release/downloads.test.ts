/**
 * Downloads of release files, and an index's listing, trusted only as far as their digests: local HTTP
 * servers that lie about a digest, stall half-way, send too much, or redirect elsewhere; and a real
 * pypiserver, for the downloads and the check after an upload that runts makes.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadVerified } from '../../src/release/download.js'
import { confirmListed, fetchFromIndex, versionOnIndex } from '../../src/release/pypi-release.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { type PackageIndex, startPackageIndex } from '../helpers/pypi.js'
import { exec, pythonEnv } from '../helpers/python.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-downloads-'))
const servers: Server[] = []
afterAll(() => {
  for (const s of servers) s.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A server on 127.0.0.1 answering with `handle`; resolves to its URL. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handle)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/`
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const sri = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`
const body = randomBytes(200_000)
const other = randomBytes(200_000)

describe('downloadVerified', () => {
  let url: string
  beforeAll(async () => {
    url = await serve((req, res) => {
      if (req.url === '/right') return res.end(body)
      if (req.url === '/lies') return res.end(other)
      if (req.url === '/stalls') {
        res.writeHead(200, { 'content-length': String(body.length) })
        return res.write(body.subarray(0, 1000))
      }
      if (req.url === '/endless') {
        res.writeHead(200)
        const more = () => (res.write(randomBytes(64 * 1024)) ? setImmediate(more) : res.once('drain', more))
        res.on('error', () => {})
        return more()
      }
      res.writeHead(404).end()
    })
  })

  it('keeps bytes whose sha256 or integrity is the one given', async () => {
    await downloadVerified(`${url}right`, path.join(dir, 'a'), { sha256: sha256(body) })
    expect(readFileSync(path.join(dir, 'a')).equals(body)).toBe(true)
    await downloadVerified(`${url}right`, path.join(dir, 'b'), { integrity: `${sri(body)} sha1-whatever` })
    expect(readFileSync(path.join(dir, 'b')).equals(body)).toBe(true)
  })

  it('refuses bytes with another digest than listed, naming both, and leaves no file', async () => {
    const dest = path.join(dir, 'lies')
    await expect(downloadVerified(`${url}lies`, dest, { sha256: sha256(body) })).rejects.toThrow(
      `${url}lies served bytes whose sha256 is ${sha256(other)}, not the ${sha256(body)} listed for it`,
    )
    expect(existsSync(dest)).toBe(false)
    await expect(downloadVerified(`${url}lies`, dest, { integrity: sri(body) })).rejects.toThrow(
      `served bytes whose integrity is ${sri(other)}, not the ${sri(body)} listed for it`,
    )
  })

  it('gives up on a server that stalls half-way, and on one that sends more than a release file may have', async () => {
    const dest = path.join(dir, 'stalls')
    await expect(downloadVerified(`${url}stalls`, dest, { sha256: sha256(body), idleMs: 300 })).rejects.toThrow(
      `${url}stalls sent nothing for 0.3 s`,
    )
    expect(existsSync(dest)).toBe(false)
    await expect(downloadVerified(`${url}right`, dest, { sha256: sha256(body), maxBytes: 1000 })).rejects.toThrow(
      `${url}right is 200000 bytes, more than the 1000 a release file may have`,
    )
    await expect(downloadVerified(`${url}endless`, dest, { sha256: sha256(body), maxBytes: 1024 * 1024 })).rejects.toThrow(
      `${url}endless sent more than the 1048576 bytes a release file may have`,
    )
    expect(existsSync(dest)).toBe(false)
  })

  it('sends credentials to the server they belong to, never along a redirect to another', async () => {
    const seen: (string | undefined)[] = []
    const elsewhere = await serve((req, res) => {
      seen.push(req.headers.authorization)
      res.end(body)
    })
    const first = await serve((req, res) => {
      seen.push(req.headers.authorization)
      res.writeHead(302, { location: `${elsewhere}file` }).end()
    })
    const withCredentials = first.replace('http://', 'http://__token__:s3cret@')
    await downloadVerified(`${withCredentials}file`, path.join(dir, 'c'), { sha256: sha256(body) })
    expect(seen).toEqual([`Basic ${Buffer.from('__token__:s3cret').toString('base64')}`, undefined])
  })
})

describe("an index's page", () => {
  it('is bounded in size: a page that never ends, or says it is larger than the bound, is refused, saying so', async () => {
    const endless = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      const more = () => (res.write(randomBytes(64 * 1024)) ? setImmediate(more) : res.once('drain', more))
      res.on('error', () => {})
      more()
    })
    const target = { index: `${endless}simple/`, name: 'rd-fetch', version: '1.0.0' }
    await expect(versionOnIndex(target, { maxBytes: 1024 * 1024, timeoutMs: 5000 })).rejects.toThrow(
      `${endless}simple/rd-fetch/ answered more than 1024 KiB, more than expected: refused (check that the URL is right)`,
    )
    // The bound holds without being asked for (128 MiB): a page that says it is 2 GiB is refused before it is read.
    const huge = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(2 * 1024 ** 3) })
      res.on('error', () => {})
      res.write('<a href="x">')
    })
    await expect(versionOnIndex({ ...target, index: `${huge}simple/` }, { timeoutMs: 5000 })).rejects.toThrow(
      `${huge}simple/rd-fetch/ answered more than 131072 KiB, more than expected: refused`,
    )
  })
})

describe('a PyPI-style index, by digest', () => {
  let index: PackageIndex
  let project: GitRepo
  let wheel: string
  beforeAll(async () => {
    const { python } = await pythonEnv()
    index = await startPackageIndex()
    project = new GitRepo({ 'src/rd_fetch/__init__.py': 'answer = 42\n', 'pyproject.toml': pyproject('rd-fetch', '1.0.0', 'hatchling') })
    await exec(python, ['-m', 'build', '--no-isolation', '--wheel', '--outdir', 'dist'], { cwd: project.dir })
    wheel = path.join(project.dir, 'dist', 'rd_fetch-1.0.0-py3-none-any.whl')
    await exec(python, ['-m', 'twine', 'upload', '--non-interactive', '--repository-url', index.uploadUrl, wheel], {
      env: { TWINE_USERNAME: '__token__', TWINE_PASSWORD: index.token },
    })
  }, 120_000)
  afterAll(async () => {
    await index?.stop()
    project?.remove()
  })
  const target = () => ({ index: index.indexUrl, name: 'RD_Fetch', version: '1.0.0' })

  it("lists the version's files with their sha256, downloads them checked, and confirms an upload by digest", async () => {
    const digest = sha256(readFileSync(wheel))
    expect(await versionOnIndex(target())).toEqual([
      { filename: 'rd_fetch-1.0.0-py3-none-any.whl', url: `${index.uploadUrl}packages/rd_fetch-1.0.0-py3-none-any.whl`, sha256: digest },
    ])
    const into = mkdtempSync(path.join(dir, 'fetch-'))
    const fetched = await fetchFromIndex(target(), into)
    expect(fetched).toEqual([
      { filename: 'rd_fetch-1.0.0-py3-none-any.whl', path: path.join(into, 'rd_fetch-1.0.0-py3-none-any.whl'), digest },
    ])
    expect(readFileSync(fetched[0]!.path).equals(readFileSync(wheel))).toBe(true)
    await confirmListed(target(), fetched)
  })

  it('fails the check after an upload at once when the index lists another digest, and after the wait when it lists nothing', async () => {
    const wrong = [{ filename: 'rd_fetch-1.0.0-py3-none-any.whl', path: wheel, digest: '0'.repeat(64) }]
    await expect(confirmListed(target(), wrong)).rejects.toThrow(
      `after the upload, rd_fetch-1.0.0-py3-none-any.whl on ${index.indexUrl} has sha256 ${sha256(readFileSync(wheel))}, this one has sha256 ${'0'.repeat(64)}`,
    )
    const absent = [{ filename: 'rd_fetch-1.0.0.tar.gz', path: wheel, digest: '0'.repeat(64) }]
    await expect(confirmListed(target(), absent, { waitMs: 200, everyMs: 50 })).rejects.toThrow(
      `rd_fetch-1.0.0.tar.gz not listed on ${index.indexUrl} 0 s after the upload`,
    )
  })

  it('refuses what an index that lies about a digest serves, naming both; and a file it lists without one', async () => {
    const bytes = readFileSync(wheel)
    const claimed = sha256(Buffer.from('what was tested'))
    const liar = await serve((req, res) => {
      if (req.url === '/simple/rd-fetch/') {
        res.setHeader('content-type', 'text/html')
        return res.end(
          `<a href="../../files/rd_fetch-1.0.0-py3-none-any.whl#sha256=${claimed}">x</a><a href="/files/rd_fetch-1.0.0.tar.gz">y</a>`,
        )
      }
      res.end(bytes)
    })
    const into = mkdtempSync(path.join(dir, 'liar-'))
    await expect(fetchFromIndex({ index: `${liar}simple/`, name: 'rd-fetch', version: '1.0.0' }, into)).rejects.toThrow(
      `${liar}files/rd_fetch-1.0.0-py3-none-any.whl served bytes whose sha256 is ${sha256(bytes)}, not the ${claimed} listed for it`,
    )
    expect(readdirSync(into)).toEqual([])
    const silent = await serve((_, res) => {
      res.setHeader('content-type', 'text/html')
      res.end('<a href="/files/rd_fetch-1.0.0.tar.gz">y</a>')
    })
    await expect(fetchFromIndex({ index: `${silent}simple/`, name: 'rd-fetch', version: '1.0.0' }, into)).rejects.toThrow(
      `${silent}simple/ lists rd_fetch-1.0.0.tar.gz without a sha256: runts cannot tell that it downloads the file that was tested`,
    )
  })
})
