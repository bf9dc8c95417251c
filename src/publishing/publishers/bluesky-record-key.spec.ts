import { TID } from '@atproto/common-web';
import { isValidTid } from '@atproto/syntax';
import { blueskyPostUrl, blueskyRecordKey, MAX_POST_ID, MAX_REVISION } from './bluesky-record-key';

describe('blueskyRecordKey', () => {
  it('is a TID the PDS accepts: 13 base32-sortable characters, the first in 234567abcdefghij', () => {
    for (const [id, revision] of [[0, 0], [1, 1], [1, 2], [42, 7], [123_456, 1023], [MAX_POST_ID, MAX_REVISION]]) {
      const key = blueskyRecordKey(id, revision);
      expect(key).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
      expect(isValidTid(key)).toBe(true);
    }
  });

  it('is the same for every attempt at the same post and approved revision', () => {
    expect(blueskyRecordKey(42, 7)).toBe(blueskyRecordKey(42, 7));
    expect(blueskyRecordKey(42, 7)).toBe('3jl745euk222b');
    // The same as atproto's own encoder for 2023-01-01 + 42·2^20 µs, clock id 7.
    expect(TID.fromTime(1_672_531_200_000_000 + 42 * 2 ** 20, 7).toString()).toBe('3jl745euk222b');
  });

  it('reads back as a time after 2023 and a 10-bit clock id (atproto TID layout)', () => {
    const tid = TID.fromStr(blueskyRecordKey(1, 5));
    expect(tid.clockid()).toBe(5);
    expect(tid.timestamp()).toBeGreaterThanOrEqual(Date.parse('2023-01-01T00:00:00Z') * 1000);
    expect(TID.fromStr(blueskyRecordKey(MAX_POST_ID, MAX_REVISION)).timestamp()).toBeLessThan(2 ** 53);
  });

  it('never gives two (post id, revision) pairs the same key', () => {
    // Collisions are gathered and asserted once: an expect per pair made this one test take 15 s.
    const seen = new Map<string, string>();
    const collisions: string[] = [];
    const check = (id: number, revision: number) => {
      const key = blueskyRecordKey(id, revision);
      const earlier = seen.get(key);
      if (earlier !== undefined) collisions.push(`${earlier} and ${id}/${revision} → ${key}`);
      seen.set(key, `${id}/${revision}`);
    };
    for (let id = 0; id < 300; id++) for (let revision = 0; revision < 300; revision++) check(id, revision);
    // Around the boundaries of the clock id (1024) and of the revision field (2^30).
    for (const id of [1, 2, 1_000_000, MAX_POST_ID - 1, MAX_POST_ID]) {
      for (const revision of [1023, 1024, 1025, 2047, 2048, MAX_REVISION - 1, MAX_REVISION]) check(id, revision);
    }
    expect(collisions).toEqual([]);
    expect(seen.size).toBe(300 * 300 + 5 * 7);
  });

  it('sorts like the pair (post id, revision), as TIDs sort by time', () => {
    const keys = [[1, 1], [1, 2], [1, 1024], [2, 1], [10, 3], [1000, 1]].map(([id, revision]) => blueskyRecordKey(id, revision));
    expect([...keys].sort()).toEqual(keys);
  });

  it('refuses what it cannot keep apart instead of wrapping around', () => {
    expect(() => blueskyRecordKey(MAX_POST_ID + 1, 1)).toThrow(RangeError);
    expect(() => blueskyRecordKey(1, MAX_REVISION + 1)).toThrow(RangeError);
    expect(() => blueskyRecordKey(-1, 1)).toThrow(RangeError);
    expect(() => blueskyRecordKey(1.5, 1)).toThrow(RangeError);
  });
});

describe('blueskyPostUrl', () => {
  it('is the post page on bsky.app under the handle', () => {
    expect(blueskyPostUrl('natc-hr.bsky.social', '3jzfcijpj2z2a')).toBe('https://bsky.app/profile/natc-hr.bsky.social/post/3jzfcijpj2z2a');
  });
});
