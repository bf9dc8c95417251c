import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Delivery {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  at: number;
}

/** `until`: the answer waits for it, so a test can act while a send is in flight (a slow network). */
type Reply = { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number; until?: Promise<unknown> };

/**
 * A real HTTP receiver on loopback standing in for a network's API. Like the networks the contract
 * counts on, it honours Idempotency-Key: a repeated key gets the first answer and is not a new post.
 */
export async function startReceiver(reply: (delivery: Delivery, index: number) => Reply = () => ({ status: 200 })) {
  const deliveries: Delivery[] = [];
  const accepted = new Map<string, Reply>();
  let respond = reply;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const delivery: Delivery = { path: req.url ?? '', headers: req.headers, raw, body: raw ? JSON.parse(raw) : null, at: Date.now() };
      deliveries.push(delivery);
      const key = req.headers['idempotency-key'] as string | undefined;
      const answer = (key && accepted.get(key)) || respond(delivery, deliveries.length - 1);
      if (key && answer.status < 300) accepted.set(key, answer);
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      if (answer.until) await answer.until.catch(() => undefined);
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '{}' : JSON.stringify(answer.body));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    /** Posts accepted, one per idempotency key. */
    accepted,
    setReply(next: typeof reply) {
      respond = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
