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
    expect(week.days[1].posts.map((p) => [p.id, p.member, p.memberName, p.time])).toEqual([[2, 'MD', 'Moldavija', '10:00'], [1, 'SI', 'Slovenija', '10:00']]);
    expect(week.days[1].label).toBe('ned., 31. okt.');
  });

  it('labels each post’s status in the reader’s language', () => {
    expect(agendaOf(weeks)[0].days[0].posts[0]).toMatchObject({ statusLabel: 'v pregledu', label: '10:00 x sl — v pregledu', zone: 'GMT+2' });
  });
});
