import { assertInertSvg, ChartRenderer } from './chart-renderer';

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
