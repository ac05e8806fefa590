/**
 * An HTTP front for a real registry (127.0.0.1, a free port): every request goes on to the registry as it
 * came, its Host kept (so the tarball URLs a package document lists point at the front), unless the
 * front's `answer` takes it. That is where a test makes the registry lie, stall or never stop talking,
 * or holds a request (an upload) while it looks at what the client left around.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export interface RegistryFront {
  /** `http://127.0.0.1:PORT/` */
  url: string
  stop(): Promise<void>
}

export interface FrontRules {
  /**
   * Answers a request itself (returns true), or lets it through (false), possibly after waiting: a
   * request's body stays unread until it goes through.
   */
  answer?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
  /** Rewrites the text of a JSON answer (a package document) before the client sees it. */
  rewrite?: (req: IncomingMessage, text: string) => string
}

export async function startRegistryFront(target: string, rules: FrontRules = {}): Promise<RegistryFront> {
  const upstream = new URL(target)
  const sockets = new Set<Socket>()
  const server = createServer(async (req, res) => {
    if (await rules.answer?.(req, res)) return
    const headers = { ...req.headers }
    // A body to rewrite comes as plain text.
    if (rules.rewrite) delete headers['accept-encoding']
    const onward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      const json = /json/.test(String(answer.headers['content-type'])) && rules.rewrite
      if (!json) {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
        return
      }
      const chunks: Buffer[] = []
      answer.on('data', (c: Buffer) => chunks.push(c))
      answer.on('end', () => {
        const text = rules.rewrite!(req, Buffer.concat(chunks).toString('utf8'))
        const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) }
        delete headers['transfer-encoding']
        delete headers.etag
        res.writeHead(answer.statusCode ?? 502, headers)
        res.end(text)
      })
    })
    onward.on('error', () => res.destroy())
    req.pipe(onward)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
