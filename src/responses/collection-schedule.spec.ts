import { isCollectionDue, nextCollectionAt } from './collection-schedule';

const published = new Date('2021-10-18T08:00:00Z');
const at = (iso: string) => new Date(iso);

describe('the collection schedule', () => {
  it('reads hourly during the first 48 hours', () => {
    expect(nextCollectionAt(published, at('2021-10-18T08:00:05Z'))).toEqual(at('2021-10-18T09:00:05Z'));
    expect(nextCollectionAt(published, at('2021-10-20T07:59:00Z'))).toEqual(at('2021-10-20T08:59:00Z'));
  });

  it('reads daily after 48 hours, up to the 30th day, then never', () => {
    expect(nextCollectionAt(published, at('2021-10-20T08:00:00Z'))).toEqual(at('2021-10-21T08:00:00Z'));
    expect(nextCollectionAt(published, at('2021-11-16T20:00:00Z'))).toEqual(at('2021-11-17T08:00:00Z')); // capped at 30 days
    expect(nextCollectionAt(published, at('2021-11-17T08:00:00Z'))).toBeNull();
  });

  it('never reads a deleted post again', () => {
    expect(nextCollectionAt(published, at('2021-10-18T09:00:00Z'), { deleted: true })).toBeNull();
  });

  it('is due when never read within 30 days, or when the next read has come', () => {
    expect(isCollectionDue(published, undefined, at('2021-10-18T08:00:01Z'))).toBe(true);
    expect(isCollectionDue(published, undefined, at('2021-11-17T08:00:01Z'))).toBe(false);
    expect(isCollectionDue(published, at('2021-10-18T09:00:00Z'), at('2021-10-18T08:59:59Z'))).toBe(false);
    expect(isCollectionDue(published, at('2021-10-18T09:00:00Z'), at('2021-10-18T09:00:00Z'))).toBe(true);
    expect(isCollectionDue(published, null, at('2021-10-19T09:00:00Z'))).toBe(false);
  });
});
