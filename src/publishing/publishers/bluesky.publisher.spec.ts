import type { PublishRequest } from '../publisher';
import { BlueskyPublisher } from './bluesky.publisher';
import { BlueskySessions } from './bluesky-sessions';

const request: PublishRequest = {
  postId: 7, approvedRevision: 3, idempotencyKey: 'natc-post-7-r3', campaign: 'c', member: 'HR', network: 'bluesky',
  locale: 'hr', text: 'Pozdrav', scheduledAt: '2021-10-18T08:00:00.000Z', media: [],
};
const account = { service: 'https://pds.test', handle: 'natc-hr.bsky.social', password: 'abcd-efgh-ijkl-mnop' };

/** A PDS that answers every login the same way (the e-e tests run a real one for everything else). */
function loginAnswering(status: number, body: object, headers: Record<string, string> = {}) {
  const logins: string[] = [];
  const fetchImpl = (async (input: Parameters<typeof fetch>[0]) => {
    logins.push(String(input));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  }) as typeof fetch;
  return { sessions: new BlueskySessions(fetchImpl), logins };
}

describe('BlueskyPublisher login', () => {
  it('retries later when the service rate-limits logins, after the window it names', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 300;
    const { sessions } = loginAnswering(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { 'ratelimit-reset': String(reset) });
    const outcome = await new BlueskyPublisher(account, sessions, 2000).publish(request);
    expect(outcome).toMatchObject({ kind: 'transient', error: expect.stringContaining('Bluesky login as natc-hr.bsky.social') });
    expect(outcome.kind === 'transient' && outcome.retryAfterMs).toBeGreaterThan(290_000);
  });

  it('fails the post with a lastError a person can act on when the app password is refused, without echoing it', async () => {
    const { sessions } = loginAnswering(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
    const outcome = await new BlueskyPublisher(account, sessions, 2000).publish(request);
    expect(outcome).toEqual({
      kind: 'permanent',
      error: 'Bluesky login as natc-hr.bsky.social at https://pds.test refused (Invalid identifier or password): check the app password in its secret',
    });
    expect(JSON.stringify(outcome)).not.toContain(account.password);
  });

  it('logs in again on the next attempt after a failed login (a failure is not kept as the session)', async () => {
    const { sessions, logins } = loginAnswering(503, { error: 'NotEnoughResources', message: 'busy' });
    const publisher = new BlueskyPublisher(account, sessions, 2000);
    expect((await publisher.publish(request)).kind).toBe('transient');
    expect((await publisher.publish(request)).kind).toBe('transient');
    expect(logins.filter((url) => url.endsWith('/xrpc/com.atproto.server.createSession'))).toHaveLength(2);
  });
});
