import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request as a loopback fake received it, kept for the test to check. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The body as UTF-8 text, and as the bytes that came (uploads are checked byte for byte). */
  raw: string;
  bytes: Buffer;
}

/**
 * A loopback HTTP server that records every request, whole, before the fake's handler answers it.
 * Answers a handler parks in `hanging` (a network that never answers) are cut when the server closes.
 */
export async function startRecordingServer(handler: (req: IncomingMessage, res: ServerResponse, url: URL, recorded: RecordedRequest) => void) {
  const requests: RecordedRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.test');
      const bytes = Buffer.concat(chunks);
      const recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, raw: bytes.toString('utf8'), bytes };
      requests.push(recorded);
      handler(req, res, url, recorded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    hanging,
    close: () => new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
