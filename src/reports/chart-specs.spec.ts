import { dailyChartSpec, onTimeChartSpec, type ChartLabels } from './chart-specs';

const labels: ChartLabels = { day: 'Day', member: 'Member', publishedOfPlanned: 'Published of planned', onTimeShare: 'On time', formatDay: (d) => `${d.slice(8)}.${d.slice(5, 7)}.` };
const values = (spec: object) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

describe('dailyChartSpec', () => {
  it('has one cell per member and day with something planned, in day order, its share and "published/planned" text', () => {
    const spec = dailyChartSpec([
      { member: 'SI', day: '2021-10-19', planned: '2', published: '1' },
      { member: 'HR', day: '2021-10-18', planned: 3, published: 3 },
      { member: 'HR', day: '2021-10-19', planned: 0, published: 0 },
    ], labels);
    expect(values(spec)).toEqual([
      { member: 'HR', day: '2021-10-18', dayLabel: '18.10.', planned: 3, published: 3, share: 1, text: '3/3' },
      { member: 'SI', day: '2021-10-19', dayLabel: '19.10.', planned: 2, published: 1, share: 0.5, text: '1/2' },
    ]);
    expect(JSON.stringify(spec)).toContain('"title":"Published of planned"');
  });
});

describe('onTimeChartSpec', () => {
  it('shows the on-time share of each member that published, in the reader\'s words', () => {
    const spec = onTimeChartSpec([{ member: 'HR', published: 4, onTime: 3 }, { member: 'SI', published: 0, onTime: 0 }], labels);
    expect(values(spec)).toEqual([{ member: 'HR', share: 0.75 }]);
    expect(JSON.stringify(spec)).toContain('"title":"On time"');
  });
});
