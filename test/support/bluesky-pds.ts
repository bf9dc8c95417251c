import type { AtpAgent } from '@atproto/api';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Bluesky PDS on loopback (@atproto/dev-env, pitfalls.md §11), its accounts with app
 * passwords, behind a proxy the service talks to. The proxy counts requests and can hold the answer
 * to a createRecord after the PDS has written the record — the window in which a crash leaves a post
 * on Bluesky but not recorded as published.
 */
export interface BlueskyPds {
  /** What a campaign names as `service`: the proxy. */
  url: string;
  /** A new account on this PDS, with an app password for the service. */
  account(handle: string): Promise<BlueskyTestAccount>;
  /** Requests that reached the PDS through the proxy, by XRPC method name. */
  calls: (method: string) => number;
  /** Holds the next createRecord answer (the record is written); resolves once it is held. */
  holdNextCreateRecord(): Promise<void>;
  /** Sends the held answer, if its client is still there. */
  release(): void;
  close(): Promise<void>;
}

export interface BlueskyTestAccount {
  handle: string;
  did: string;
  appPassword: string;
  /** Writes a post record straight to the PDS (not through the proxy); false if the key is taken. */
  createRecordAs(rkey: string, text: string, createdAt: string): Promise<boolean>;
  /** The posts in the account's repository, read from the PDS itself. */
  posts(): Promise<{ rkey: string; value: Record<string, any> }[]>;
}

export async function startBlueskyPds(): Promise<BlueskyPds> {
  // The PDS keeps its SQLite folders in os.tmpdir() and leaves them after close() (pitfalls.md §11):
  // a folder we delete. Setting TMPDIR does not reach os.tmpdir() from inside Jest's sandbox (its
  // process.env is a copy), so os.tmpdir() itself answers our folder while the PDS is configured.
  const tmp = mkdtempSync(join(tmpdir(), 'bluesky-pds-'));
  const tmpdirSpy = jest.spyOn(os, 'tmpdir').mockReturnValue(tmp);
  const network = await import('@atproto/dev-env').then(({ TestNetworkNoAppView }) => TestNetworkNoAppView.create({}))
    .catch((error) => {
      rmSync(tmp, { recursive: true, force: true });
      throw error;
    })
    .finally(() => tmpdirSpy.mockRestore());
  const proxy = await startProxy(network.pds.url);
  return {
    url: proxy.url,
    account: (handle) => createAccount(network.pds.url, handle),
    calls: proxy.calls,
    holdNextCreateRecord: proxy.holdNextCreateRecord,
    release: proxy.release,
    async close() {
      await proxy.close();
      await network.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function createAccount(pdsUrl: string, handle: string): Promise<BlueskyTestAccount> {
  const { AtpAgent } = await import('@atproto/api');
  const owner: AtpAgent = new AtpAgent({ service: pdsUrl });
  await owner.createAccount({ handle, email: `${handle}@test.invalid`, password: 'account-password-not-used-by-the-service' });
  const appPassword = (await owner.com.atproto.server.createAppPassword({ name: 'campaign scheduler' })).data.password;
  const repo = owner.session!.did;
  return {
    handle,
    did: repo,
    appPassword,
    async createRecordAs(rkey, text, createdAt) {
      const record = { $type: 'app.bsky.feed.post', text, createdAt };
      return owner.com.atproto.repo.createRecord({ repo, collection: 'app.bsky.feed.post', rkey, record }).then(() => true, () => false);
    },
    async posts() {
      const list = await owner.com.atproto.repo.listRecords({ repo, collection: 'app.bsky.feed.post', limit: 100 });
      return list.data.records.map((r) => ({ rkey: r.uri.split('/').pop()!, value: r.value as Record<string, any> }));
    },
  };
}

async function startProxy(target: string) {
  const counts = new Map<string, number>();
  let holdRequested: (() => void) | undefined;
  let held: (() => void) | undefined;
  let url = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = (req.url ?? '').replace(/^\/xrpc\//, '').split('?')[0];
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        // The session's DID document names the PDS itself: point it at the proxy, or the agent bypasses us.
        // Only JSON: a blob (an image) must pass byte for byte.
        const raw = Buffer.concat(chunks);
        const body = /json/.test(String(answer.headers['content-type'])) ? Buffer.from(raw.toString('utf8').split(target).join(url), 'utf8') : raw;
        const headers = { ...answer.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        const send = () => res.writeHead(answer.statusCode ?? 502, headers).end(body);
        if (method === 'com.atproto.repo.createRecord' && holdRequested) {
          const heldNow = holdRequested;
          holdRequested = undefined;
          held = send;
          heldNow();
        } else send();
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    calls: (method: string) => counts.get(method) ?? 0,
    holdNextCreateRecord: () => new Promise<void>((resolve) => (holdRequested = resolve)),
    release: () => {
      const send = held;
      held = undefined;
      try {
        send?.();
      } catch {
        // its client was killed meanwhile
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
