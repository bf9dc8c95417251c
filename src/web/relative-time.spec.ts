import { relativeTo } from './relative-time';

const now = new Date('2021-10-15T09:00:00Z');

describe('relativeTo', () => {
  it.each([
    ['2021-10-17T09:00:00Z', 'en-GB', 'in 2 days'],
    ['2021-10-16T09:00:00Z', 'en-GB', 'tomorrow'],
    ['2021-10-15T06:00:00Z', 'en-GB', '3 hours ago'],
    ['2021-10-15T09:00:20Z', 'en-GB', 'this minute'],
    ['2021-10-20T09:00:00Z', 'sl', 'čez 5 dni'],
    ['2021-10-17T09:00:00Z', 'sl', 'pojutrišnjem'],
    ['2021-10-18T09:00:00Z', 'sr-Cyrl', 'за 3 дана'],
  ])('says %s in %s as “%s”', (instant, locale, expected) => {
    expect(relativeTo(new Date(instant), now, locale)).toBe(expected);
  });
});
