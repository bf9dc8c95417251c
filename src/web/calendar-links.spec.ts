import { calendarPageLinks, weekOfDay } from './calendar-links';

const WEEKS = ['2021-10-18', '2021-10-25', '2021-11-01'];

describe('weekOfDay', () => {
  it('finds the week of a day, and the nearest week outside the campaign', () => {
    expect(weekOfDay(WEEKS, '2021-10-31')).toBe('2021-10-25');
    expect(weekOfDay(WEEKS, '2021-11-01')).toBe('2021-11-01');
    expect(weekOfDay(WEEKS, '2021-10-01')).toBe('2021-10-18');
    expect(weekOfDay(WEEKS, '2026-11-30')).toBe('2021-11-01');
  });
});

describe('calendarPageLinks', () => {
  const links = (week?: string) => calendarPageLinks('/c', { member: 'HR', q: 'x', week }, { weekStarts: WEEKS, todayWeek: '2021-10-25' }).weekNav;

  it('offers no previous week on the first, no next week on the last, and both between, keeping the filters', () => {
    expect(links('2021-10-18')).toMatchObject({ previous: null, next: '/c?member=HR&q=x&week=2021-10-25', all: '/c?member=HR&q=x' });
    expect(links('2021-10-25')).toMatchObject({ previous: '/c?member=HR&q=x&week=2021-10-18', next: '/c?member=HR&q=x&week=2021-11-01' });
    expect(links('2021-11-01')).toMatchObject({ next: null });
  });

  it('shows the whole campaign without a week: no previous or next, today and every week', () => {
    expect(links()).toMatchObject({ previous: null, next: null, all: null, today: '/c?member=HR&q=x&week=2021-10-25' });
    expect(links().weeks.map((w) => w.number)).toEqual([1, 2, 3]);
  });
});
