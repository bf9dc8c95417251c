import { eachDate, formatLocalIso, isInstant, isLocalWallTime, localTimeOutsideDates, resolveLocalTime, wallTimeOf, weekdayOf } from './local-time';

const utc = (local: string, zone: string) => resolveLocalTime(local, zone).toISOString();

describe('resolveLocalTime', () => {
  describe('the end of EU summer time inside the campaign (Sunday 31 Oct 2021)', () => {
    it.each([
      ['Europe/Ljubljana', '2021-10-29T10:00', '2021-10-29T08:00:00.000Z'],
      ['Europe/Ljubljana', '2021-11-01T10:00', '2021-11-01T09:00:00.000Z'],
      ['Europe/Sofia', '2021-10-29T10:00', '2021-10-29T07:00:00.000Z'],
      ['Europe/Sofia', '2021-11-01T10:00', '2021-11-01T08:00:00.000Z'],
      ['Europe/Bucharest', '2021-10-29T10:00', '2021-10-29T07:00:00.000Z'],
      ['Europe/Bucharest', '2021-11-01T10:00', '2021-11-01T08:00:00.000Z'],
      ['Europe/Chisinau', '2021-10-29T10:00', '2021-10-29T07:00:00.000Z'],
      ['Europe/Chisinau', '2021-11-01T10:00', '2021-11-01T08:00:00.000Z'],
    ])('reads %s %s as %s', (zone, local, expected) => {
      expect(utc(local, zone)).toBe(expected);
    });
  });

  describe('RFC 5545 §3.3.5', () => {
    it.each([
      ['Europe/Chisinau', '2021-10-31T02:30', '2021-10-30T23:30:00.000Z'],
      ['Europe/Ljubljana', '2021-10-31T02:30', '2021-10-31T00:30:00.000Z'],
      ['Europe/Bucharest', '2021-10-31T03:30', '2021-10-31T00:30:00.000Z'],
    ])('takes the first occurrence of an ambiguous time (%s %s → %s), not luxon’s later one', (zone, local, expected) => {
      expect(utc(local, zone)).toBe(expected);
    });

    it.each([
      ['Europe/Ljubljana', '2021-03-28T02:30', '2021-03-28T01:30:00.000Z'],
      ['Europe/Chisinau', '2021-03-28T02:30', '2021-03-28T00:30:00.000Z'],
      ['Europe/Bucharest', '2021-03-28T03:30', '2021-03-28T01:30:00.000Z'],
    ])('reads a non-existent time with the offset before the gap (%s %s → %s)', (zone, local, expected) => {
      expect(utc(local, zone)).toBe(expected);
    });

    it('reads the minute just before and just after the ambiguous hour unambiguously', () => {
      expect(utc('2021-10-31T01:59', 'Europe/Ljubljana')).toBe('2021-10-30T23:59:00.000Z');
      expect(utc('2021-10-31T03:00', 'Europe/Ljubljana')).toBe('2021-10-31T02:00:00.000Z');
    });
  });

  describe('Moldova changes at 03:00 local (00:00Z), the EU at 01:00Z', () => {
    it('gives 03:30 local after the change in Chisinau but inside the repeated hour in Bucharest', () => {
      // Chisinau already left summer time (03:30 EET exists once); Bucharest repeats 03:00–04:00.
      expect(utc('2021-10-31T03:30', 'Europe/Chisinau')).toBe('2021-10-31T01:30:00.000Z');
      expect(utc('2021-10-31T03:30', 'Europe/Bucharest')).toBe('2021-10-31T00:30:00.000Z');
    });
  });

  describe('refuses input it cannot read as a local wall time', () => {
    it('throws a RangeError naming an unknown time zone', () => {
      expect(() => resolveLocalTime('2021-10-29T10:00', 'Europe/Atlantis')).toThrow(
        new RangeError('"Europe/Atlantis" is not an IANA time zone'),
      );
    });

    it.each(['2021-13-01T10:00', '2021-10-32T10:00', 'tomorrow at ten', '', '2021-10-29 10:00'])(
      'throws for the malformed local time %j',
      (local) => {
        expect(() => resolveLocalTime(local, 'Europe/Ljubljana')).toThrow(
          new RangeError(`"${local}" is not a local date-time (YYYY-MM-DDTHH:mm)`),
        );
      },
    );

    it.each(['2021-10-29T10:00Z', '2021-10-29T10:00:00z', '2021-10-29T10:00+02:00', '2021-10-29T10:00:00.000+0200', '2021-10-29T10:00-05:00',
      '2021-10-29T10:00+02', '2021-10-29T10:00+01:00[Europe/Paris]', '2021-10-29T24:00'])(
      'refuses %s because it carries an offset instead of being a wall time',
      (local) => {
        expect(() => resolveLocalTime(local, 'Europe/Ljubljana')).toThrow(RangeError);
      },
    );
  });
});

describe('formatLocalIso', () => {
  it.each([
    ['2021-10-29T08:00:00Z', 'Europe/Ljubljana', '2021-10-29T10:00:00+02:00'],
    ['2021-11-01T09:00:00Z', 'Europe/Ljubljana', '2021-11-01T10:00:00+01:00'],
    ['2021-10-29T07:00:00Z', 'Europe/Sofia', '2021-10-29T10:00:00+03:00'],
    ['2021-11-01T08:00:00Z', 'Europe/Sofia', '2021-11-01T10:00:00+02:00'],
  ])('shows %s in %s with the offset in force: %s', (instant, zone, expected) => {
    expect(formatLocalIso(new Date(instant), zone)).toBe(expected);
  });

  it.each([
    ['2021-10-30T23:59:00Z', '2021-10-31T02:59:00+03:00', '2021-10-31T02:59:00+03:00'],
    ['2021-10-31T00:00:00Z', '2021-10-31T02:00:00+02:00', '2021-10-31T03:00:00+03:00'],
    ['2021-10-31T00:30:00Z', '2021-10-31T02:30:00+02:00', '2021-10-31T03:30:00+03:00'],
    ['2021-10-31T01:00:00Z', '2021-10-31T03:00:00+02:00', '2021-10-31T03:00:00+02:00'],
  ])('at %s shows Chisinau %s and Bucharest %s (Moldova changes an hour earlier in UTC)', (instant, chisinau, bucharest) => {
    expect(formatLocalIso(new Date(instant), 'Europe/Chisinau')).toBe(chisinau);
    expect(formatLocalIso(new Date(instant), 'Europe/Bucharest')).toBe(bucharest);
  });

  it('round-trips both occurrences of an ambiguous hour with distinct offsets', () => {
    expect(formatLocalIso(new Date('2021-10-31T00:30:00Z'), 'Europe/Ljubljana')).toBe('2021-10-31T02:30:00+02:00');
    expect(formatLocalIso(new Date('2021-10-31T01:30:00Z'), 'Europe/Ljubljana')).toBe('2021-10-31T02:30:00+01:00');
  });
});

describe('wallTimeOf', () => {
  it.each([
    ['2021-10-29T08:00:00Z', 'Europe/Ljubljana', '2021-10-29T10:00'],
    ['2021-11-01T09:00:00Z', 'Europe/Ljubljana', '2021-11-01T10:00'],
    ['2021-10-30T22:30:00Z', 'Europe/Chisinau', '2021-10-31T01:30'],
    ['2021-10-31T23:30:00Z', 'Europe/Skopje', '2021-11-01T00:30'],
  ])('gives the wall time %s shows in %s: %s', (instant, zone, expected) => {
    expect(wallTimeOf(new Date(instant), zone)).toBe(expected);
  });

  it('gives back the wall time resolveLocalTime started from, across the change', () => {
    for (const local of ['2021-10-30T10:00', '2021-10-31T10:00', '2021-11-01T10:00']) {
      expect(wallTimeOf(resolveLocalTime(local, 'Europe/Belgrade'), 'Europe/Belgrade')).toBe(local);
    }
  });
});

describe('eachDate', () => {
  it('lists the 21 local dates of the campaign, inclusive of both ends', () => {
    const dates = [...eachDate('2021-10-18', '2021-11-07')];
    expect(dates).toHaveLength(21);
    expect(dates[0]).toBe('2021-10-18');
    expect(dates[20]).toBe('2021-11-07');
  });

  it('counts 31 October as one calendar day, whatever the clocks do', () => {
    expect([...eachDate('2021-10-30', '2021-11-01')]).toEqual(['2021-10-30', '2021-10-31', '2021-11-01']);
  });

  it('yields nothing when the end is before the start', () => {
    expect([...eachDate('2021-11-01', '2021-10-30')]).toEqual([]);
  });
});

describe('weekdayOf', () => {
  it.each([
    ['2021-10-18', 'mon'],
    ['2021-10-24', 'sun'],
    ['2021-10-25', 'mon'],
    ['2021-10-30', 'sat'],
    ['2021-10-31', 'sun'],
    ['2021-11-01', 'mon'],
    ['2021-11-07', 'sun'],
  ])('knows %s is a %s', (date, weekday) => {
    expect(weekdayOf(date)).toBe(weekday);
  });

  it('gives every campaign week Monday to Sunday', () => {
    const weekdays = [...eachDate('2021-10-18', '2021-11-07')].map(weekdayOf);
    const week = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    expect(weekdays).toEqual([...week, ...week, ...week]);
  });
});

describe('isLocalWallTime', () => {
  it.each(['2021-10-29T10:00', '2020-02-29T10:00', '2021-10-31T02:30', '2021-12-31T23:59'])('accepts %s', (value) => {
    expect(isLocalWallTime(value)).toBe(true);
  });
  it.each([
    ['31 February', '2021-02-31T10:00'],
    ['29 February of a common year', '2021-02-29T10:00'],
    ['month 13', '2021-13-01T10:00'],
    ['24:00', '2021-10-29T24:00'],
    ['seconds', '2021-10-29T10:00:00'],
    ['an offset', '2021-10-29T10:00+02:00'],
    ['Z', '2021-10-29T10:00Z'],
    ['a space for T', '2021-10-29 10:00'],
    ['a date alone', '2021-10-29'],
    ['a number', 20211029],
    ['a list', ['2021-10-29T10:00']],
  ])('refuses %s (%j)', (_, value) => {
    expect(isLocalWallTime(value)).toBe(false);
  });
});

describe('isInstant', () => {
  it.each(['2021-10-29T08:00:00Z', '2021-10-29T08:00:00.000Z', '2021-10-29T10:00:00+02:00', '2021-10-29T10:00+02:00', '2021-10-29T08:00:00.123456+00:00', '2021-10-29T03:00:00-05:00'])(
    'accepts %s',
    (value) => {
      expect(isInstant(value)).toBe(true);
    },
  );
  it.each([
    ['a week date', '2021-W42'],
    ['the basic format', '20211018T100000Z'],
    ['a date alone', '2021-10-18'],
    ['a time without offset (read in the server\'s zone)', '2021-10-18T10:00'],
    ['29 February of a common year', '2021-02-29T10:00:00Z'],
    ['an offset without colon', '2021-10-18T10:00:00+0200'],
    ['an ordinal date', '2021-291T10:00:00Z'],
    ['words', 'yesterday'],
    ['a repeated parameter', ['2021-10-18T10:00:00Z', '2021-10-19T10:00:00Z']],
  ])('refuses %s (%j)', (_, value) => {
    expect(isInstant(value)).toBe(false);
  });
});

describe('localTimeOutsideDates', () => {
  const dates = { start: '2021-10-18', end: '2021-11-07' };
  it.each(['2021-10-18T00:00', '2021-11-07T23:59', '2021-10-31T02:30'])('accepts %s within the campaign', (local) => {
    expect(localTimeOutsideDates(local, dates)).toBeUndefined();
  });
  it.each(['0000-10-20T10:00', '2021-10-17T23:59', '2021-11-08T00:00', '9999-12-31T10:00'])('refuses %s', (local) => {
    expect(localTimeOutsideDates(local, dates)).toBe(`${local} is outside the campaign (2021-10-18 – 2021-11-07)`);
  });
});
