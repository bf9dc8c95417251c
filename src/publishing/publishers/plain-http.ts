import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One request as the publishers send it: the body is sent as these exact bytes (the webhook signs them). */
export interface PlainRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An answer read whole: `body` is null when it was cut off, failed, or passed ANSWER_LIMIT_BYTES. */
export interface PlainAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string | null;
}

/** A hostile or broken receiver cannot make a dispatcher buffer more than this of one answer. */
export const ANSWER_LIMIT_BYTES = 1 << 20;

/**
 * node:http rather than fetch: the profile of a dispatcher showed undici's fetch (WHATWG streams,
 * Headers, Response) at 25–30 % of its busy CPU for small JSON posts. Keep-alive reuses the TCP (and
 * TLS) connection across sends, as fetch's pool did.
 */
const transports: Record<string, { agent: HttpAgent; request: typeof httpRequest }> = {
  'http:': { agent: new HttpAgent({ keepAlive: true }), request: httpRequest },
  'https:': { agent: new HttpsAgent({ keepAlive: true }), request: httpsRequest },
};

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Sends one request and reads its answer, all within `timeoutMs`. Rejects when no answer came (the
 * error's `code`, e.g. ECONNREFUSED, or a TimeoutError); redirects are answers like any other, never
 * followed. The answer's socket goes back to the pool once read, or is destroyed when not read to the end.
 */
export async function exchange(url: string, init: PlainRequest, timeoutMs: number): Promise<PlainAnswer> {
  const target = new URL(url);
  const transport = Object.hasOwn(transports, target.protocol) ? transports[target.protocol] : undefined;
  if (!transport) throw new TypeError(`${target.protocol} is not http: or https:`);
  const headers = init.body === undefined ? init.headers : { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) };
  const request = transport.request(target, { method: init.method ?? 'GET', headers, agent: transport.agent });
  const timer = setTimeout(() => request.destroy(new TimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    // The 'error' listener stays after the answer: a later error (a timeout while reading) is then ignored here, not thrown.
    const answered = new Promise<IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
    request.end(init.body);
    const response = await answered;
    return { status: response.statusCode ?? 0, headers: response.headers, body: await readLimited(response) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads the answer whole, with listeners rather than `for await`: the async iterator cost a dispatcher
 * a few per cent of its busy CPU (profile) for answers that are one small chunk.
 */
function readLimited(response: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Destroyed, the response's socket is never reused half-read.
      if (size > ANSWER_LIMIT_BYTES) {
        response.destroy();
        resolve(null);
      } else chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // Cut off (a timeout, a reset): 'close' without 'end' (a settled promise ignores later calls).
    response.on('error', () => resolve(null));
    response.on('close', () => resolve(response.complete ? Buffer.concat(chunks).toString('utf8') : null));
  });
}
