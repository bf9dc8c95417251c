import { assertInertSvg, ChartRenderer } from './chart-renderer';
import { bestPostsChartSpec, responsesChartSpec } from './chart-specs';

describe('ChartRenderer', () => {
  const renderer = new ChartRenderer();
  afterAll(() => renderer.onModuleDestroy());

  it('renders a Vega-Lite spec to SVG in a worker, Cyrillic labels kept, nothing inline that the page policy blocks', async () => {
    const svg = await renderer.render({
      data: { values: [{ member: 'MK', share: 0.5 }, { member: 'SI', share: 1 }] },
      mark: 'bar',
      encoding: { x: { field: 'share', type: 'quantitative', title: 'Објавени на време' }, y: { field: 'member', type: 'nominal', title: 'Членка' } },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Објавени на време');
    expect(svg).not.toMatch(/style=|<script/);
  });

  it('renders the response charts with Albanian and Cyrillic labels as written (ë, ç, ѓ, ќ kept)', async () => {
    const groups = [{ key: 'policy', likes: 3, reposts: 1, replies: null, quotes: 2, impressions: null }];
    const kinds = { likes: 'Pëlqime', reposts: 'Rishpërndarje', replies: 'Përgjigje', quotes: 'Citime' };
    const svg = await renderer.render(responsesChartSpec(groups, new Map([['policy', 'Politikat për çështjen']]), { group: 'Tema', responses: 'Reagime', kind: 'Lloji i reagimit', kinds }));
    for (const text of ['Pëlqime', 'Rishpërndarje', 'Citime', 'Politikat për çështjen', 'Lloji i reagimit']) expect(svg).toContain(text);
    expect(svg).not.toContain('Përgjigje'); // replies: not given, not drawn as zero
    const best = [{ week: 1, rank: 1, postId: 1, member: 'MK', network: 'mastodon', locale: 'mk', theme: 'policy', publishedAt: '', url: null, responses: 6, likes: 6, reposts: null, replies: null, quotes: null, impressions: null, collectedAt: '' }];
    const bestSvg = await renderer.render(bestPostsChartSpec(best, (p) => `Недела ${p.week} · ${p.rank}. ${p.member}`, { responses: 'Реакции', post: 'Објава' }));
    for (const text of ['Недела 1 · 1. MK', 'Реакции', 'Објава']) expect(bestSvg).toContain(text);
  });

  it('renders several charts at once, each answer to its own request', async () => {
    const titles = ['one', 'two', 'three'];
    const svgs = await Promise.all(titles.map((title) => renderer.render({ data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative', title } } })));
    svgs.forEach((svg, i) => expect(svg).toContain(`>${titles[i]}<`));
  });

  it('rejects a spec vega cannot compile, and keeps working', async () => {
    await expect(renderer.render({ mark: 'no-such-mark' })).rejects.toThrow(/chart:/);
    await expect(renderer.render({ data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } })).resolves.toContain('<svg');
  });
});

describe('assertInertSvg', () => {
  it.each([
    '<svg><script>alert(1)</script></svg>',
    '<svg><g style="fill:red"></g></svg>',
    '<svg><g onload="x()"></g></svg>',
    '<svg><foreignObject></foreignObject></svg>',
    '<div></div>',
  ])('refuses %s', (svg) => expect(() => assertInertSvg(svg)).toThrow());

  it('passes presentation attributes', () => expect(assertInertSvg('<svg><path fill="red" d="M0,0"/></svg>')).toContain('fill'));
});
