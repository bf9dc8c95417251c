import { csvReportRow, deliveryRows, onTimeRate, responseTotals, totalOf, type CountRow, type ResponseRow } from './delivery-figures';

const counts = (over: Partial<CountRow> = {}): CountRow => ({
  member: 'SI', network: 'x', locale: 'sl', theme: 'policy',
  planned: '10', approved: '8', published: '5', on_time: '3', missed: '2', failed: '1', cancelled: '4', unreviewed: '2', ...over,
});

describe('deliveryRows', () => {
  it('turns the database counts (strings on PostgreSQL) into numbers; late is published minus on time', () => {
    const [row] = deliveryRows([counts()]);
    expect(row).toMatchObject({ planned: 10, approved: 8, published: 5, onTime: 3, late: 2, missed: 2, failed: 1, cancelled: 4, unreviewed: 2 });
  });

  it('has no responses and no lead time until they are given', () => {
    expect(deliveryRows([counts()])[0]).toMatchObject({ responses: null, approvalLeadSeconds: null, approvedBy: [] });
  });

  it('joins lead times, approvers (most approvals first) and responses by member, network, locale and theme', () => {
    const key = { member: 'SI', network: 'x', locale: 'sl', theme: 'policy' };
    const responses = { likes: 4, reposts: 1, replies: null, quotes: null, impressions: null, collectedAt: '2021-10-20T00:00:00.000Z', refused: {} };
    const [row, other] = deliveryRows(
      [counts(), counts({ network: 'facebook' })],
      [{ ...key, median_seconds: '3599.6' }],
      [{ ...key, user_name: 'Maja', role: 'coordinator', approvals: '2' }, { ...key, user_name: 'Ana', role: 'secretariat', approvals: 5 }],
      new Map([[JSON.stringify(['SI', 'x', 'sl', 'policy']), responses]]),
    ).sort((a) => (a.network === 'x' ? -1 : 1));
    expect(row).toMatchObject({ approvalLeadSeconds: 3600, responses, approvedBy: [{ name: 'Ana', approvals: 5 }, { name: 'Maja', approvals: 2 }] });
    expect(other).toMatchObject({ network: 'facebook', approvalLeadSeconds: null, responses: null, approvedBy: [] });
  });

  it('sorts rows by member, network, locale and theme', () => {
    const rows = deliveryRows([counts({ member: 'SI' }), counts({ member: 'HR', theme: 'victim-assistance' }), counts({ member: 'HR', theme: 'policy' })]);
    expect(rows.map((r) => `${r.member}/${r.theme}`)).toEqual(['HR/policy', 'HR/victim-assistance', 'SI/policy']);
  });
});

describe('totalOf and onTimeRate', () => {
  it('adds rows up and gives the on-time share of published posts, none when nothing was published', () => {
    const rows = deliveryRows([counts(), counts({ network: 'facebook', published: 0, on_time: 0 })]);
    expect(totalOf(rows)).toMatchObject({ planned: 20, published: 5, onTime: 3, late: 2 });
    expect(onTimeRate(totalOf(rows))).toBeCloseTo(0.6);
    expect(onTimeRate(rows.find((r) => r.network === 'facebook')!)).toBeNull();
  });
});

describe('csvReportRow', () => {
  it('writes one column per figure, approvers as text and empty cells for responses not collected', () => {
    const [row] = deliveryRows([counts()], [], [{ member: 'SI', network: 'x', locale: 'sl', theme: 'policy', user_name: 'Maja', role: 'coordinator', approvals: 2 }]);
    expect(csvReportRow(row)).toEqual(['SI', 'x', 'sl', 'policy', 10, 8, 5, 3, 2, 2, 1, 4, 2, null, 'Maja (coordinator) 2', null, null, null, null, null, null, '']);
  });
});

describe('responseTotals', () => {
  const key = { member: 'SI', network: 'mastodon', locale: 'sl', theme: 'policy' };
  const read = (over: Partial<ResponseRow>): ResponseRow => ({
    ...key, error: null, posts: '2', likes: '7', reposts: '3', replies: '1', quotes: null, impressions: null, collected_at: '2021-10-19T08:00:00.000Z', ...over,
  });

  it('sums the figures read (strings on PostgreSQL), leaves a count the network does not give null, and lists refusals beside them', () => {
    const totals = responseTotals([
      read({}),
      read({ error: 'deleted', posts: '1', likes: null, reposts: null, replies: null, collected_at: '2021-10-19T09:00:00.000Z' }),
    ]);
    expect(totals.get(JSON.stringify(['SI', 'mastodon', 'sl', 'policy']))).toEqual({
      likes: 7, reposts: 3, replies: 1, quotes: null, impressions: null, collectedAt: '2021-10-19T09:00:00.000Z', refused: { deleted: 1 },
    });
  });

  it('gives no figure, not zero, when every post was refused, and the CSV names the refusal', () => {
    const totals = responseTotals([read({ error: 'token refused', posts: 2, likes: null, reposts: null, replies: null })]);
    const responses = totals.get(JSON.stringify(['SI', 'mastodon', 'sl', 'policy']))!;
    expect(responses).toMatchObject({ likes: null, reposts: null, replies: null, refused: { 'token refused': 2 } });
    const [row] = deliveryRows([counts(key)], [], [], totals);
    expect(csvReportRow(row).slice(-7)).toEqual([null, null, null, null, null, '2021-10-19T08:00:00.000Z', 'token refused 2']);
  });
});
