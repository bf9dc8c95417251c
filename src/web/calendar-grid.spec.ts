import { agendaOf, buildCalendarGrid, GridPost } from './calendar-grid';

const post = (id: number, member: string, scheduledAt: string, timezone: string): GridPost =>
  ({ id, member, network: 'x', locale: 'sl', status: 'in_review', scheduledAt, timezone, overLimit: false });

describe('agendaOf', () => {
  const weeks = buildCalendarGrid({
    start: '2021-10-25', end: '2021-10-31', uiLocale: 'sl',
    members: [{ code: 'SI', name: 'Slovenija', timezone: 'Europe/Ljubljana' }, { code: 'MD', name: 'Moldavija', timezone: 'Europe/Chisinau' }],
    posts: [
      post(1, 'SI', '2021-10-31T09:00:00Z', 'Europe/Ljubljana'), // 10:00 CET, after the change
      post(2, 'MD', '2021-10-31T08:00:00Z', 'Europe/Chisinau'), // 10:00 EET
      post(3, 'SI', '2021-10-25T08:00:00Z', 'Europe/Ljubljana'),
    ],
    statusLabel: (status) => (status === 'in_review' ? 'v pregledu' : status),
  });

  it('lists only the days with posts, each day’s posts of all members by instant', () => {
    const [week] = agendaOf(weeks);
    expect(week.days.map((d) => d.date)).toEqual(['2021-10-25', '2021-10-31']);
    expect(week.days[1].cards.map((c) => [c.posts[0].id, c.member, c.memberName, c.time])).toEqual([[2, 'MD', 'Moldavija', '10:00'], [1, 'SI', 'Slovenija', '10:00']]);
    expect(week.days[1].label).toBe('ned., 31. okt.');
  });

  it('labels each post’s status in the reader’s language', () => {
    expect(agendaOf(weeks)[0].days[0].cards[0].posts[0]).toMatchObject({ statusLabel: 'v pregledu', label: '10:00 x sl — v pregledu', zone: 'GMT+2' });
  });
});

describe('buildCalendarGrid', () => {
  const grid = (posts: GridPost[], blackout: string[] = []) => buildCalendarGrid({
    start: '2021-11-01', end: '2021-11-07', uiLocale: 'en',
    members: [{ code: 'XK', name: 'Kosovo', timezone: 'Europe/Belgrade', blackout }], posts,
  });

  it('groups the locales of one member, slot and network in one card, the text of the first', () => {
    const at = '2021-11-02T09:00:00Z';
    const cells = grid([
      { ...post(11, 'XK', at, 'Europe/Belgrade'), network: 'facebook', locale: 'sq', text: 'Ndëshkimi' },
      { ...post(12, 'XK', at, 'Europe/Belgrade'), network: 'facebook', locale: 'sr-Latn', text: 'Kažnjavanje' },
      { ...post(13, 'XK', at, 'Europe/Belgrade'), network: 'x', locale: 'sq' },
    ])[0].rows[0].cells;
    expect(cells[1].cards.map((c) => [c.time, c.network, c.posts.map((p) => p.locale), c.text])).toEqual([
      ['10:00', 'facebook', ['sq', 'sr-Latn'], 'Ndëshkimi'],
      ['10:00', 'x', ['sq'], ''],
    ]);
  });

  it('marks the member’s blackout dates, in the grid and the agenda', () => {
    const weeks = grid([], ['2021-11-01']);
    expect(weeks[0].rows[0].cells.map((c) => c.blackout)).toEqual([true, false, false, false, false, false, false]);
    expect(agendaOf(weeks)[0].days.map((d) => [d.date, d.blackout])).toEqual([['2021-11-01', ['XK']]]);
  });
});
