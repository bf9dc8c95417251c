import { lookBeforeResending, RecentPostsReader, sameText, settleUnknownOutcome } from './unknown-outcome';

const sentAt = new Date('2021-10-18T08:00:05Z');
const now = new Date('2021-10-18T08:00:15Z');
const reader = (answer: Awaited<ReturnType<RecentPostsReader['recentPosts']>> | Error, seen: Date[][] = []): RecentPostsReader => ({
  recentPosts: async (from, to) => {
    seen.push([from, to]);
    if (answer instanceof Error) throw answer;
    return answer;
  },
});

describe('settleUnknownOutcome', () => {
  it('publishes the post found on the account, with its URL and id, looking from 2 minutes before the send to 2 minutes after now', async () => {
    const seen: Date[][] = [];
    const outcome = await settleUnknownOutcome(reader([{ id: '2', text: 'other', url: 'u2' }, { id: '1', text: 'Hello https://t.co/abc', url: 'u1' }], seen), 'Hello https://natc.example/a', sentAt, now, 'timed out');
    expect(outcome).toEqual({ kind: 'published', url: 'u1', id: '1' });
    expect(seen).toEqual([[new Date('2021-10-18T07:58:05Z'), new Date('2021-10-18T08:02:15Z')]]);
  });

  it('retries when the account reads back without the post: nothing was created', async () => {
    expect(await settleUnknownOutcome(reader([{ id: '2', text: 'other', url: 'u2' }]), 'Hello', sentAt, now, 'HTTP 503')).toEqual({ kind: 'transient', error: 'HTTP 503; not on the account, so not created: sent again' });
  });

  it('leaves the post unconfirmed when the account cannot be read, or the network has no way to read it', async () => {
    expect(await settleUnknownOutcome(reader('unreadable'), 'Hello', sentAt, now, 'timed out')).toMatchObject({ kind: 'unconfirmed', error: expect.stringContaining('could not be read') });
    expect(await settleUnknownOutcome(reader(new Error('ECONNRESET')), 'Hello', sentAt, now, 'timed out')).toMatchObject({ kind: 'unconfirmed' });
    expect(await settleUnknownOutcome(null, 'Hello', sentAt, now, 'timed out')).toMatchObject({ kind: 'unconfirmed', error: expect.stringContaining('cannot be read back') });
  });
});

describe('sameText', () => {
  it.each([
    ['Hello https://a.example/x world', 'Hello https://t.co/xyz world', true],
    ['Hello  world\n', 'Hello world', true],
    ['Hello world', 'Hello world!', false],
    ['Здраво', 'Здраво', true],
  ])('%j ~ %j → %s', (a, b, expected) => expect(sameText(a, b)).toBe(expected));
});

describe('lookBeforeResending (a post taken over from a dispatcher that may have sent it)', () => {
  it('publishes what is found, sends (null) what is absent, and leaves to a person what cannot be read', async () => {
    expect(await lookBeforeResending(reader([{ id: '1', text: 'Hello', url: 'u1' }]), 'Hello', sentAt, now)).toEqual({ kind: 'published', url: 'u1', id: '1' });
    expect(await lookBeforeResending(reader([]), 'Hello', sentAt, now)).toBeNull();
    expect(await lookBeforeResending(reader('unreadable'), 'Hello', sentAt, now)).toMatchObject({ kind: 'unconfirmed' });
  });
});
