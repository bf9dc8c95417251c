import { partialRunStamp, Section, spliceSection, spliceTargets, stampSection } from './benchmarks-file';

const doc = `# Benchmarks

Header.

## Planning

old planning

## Images (issue 13)

old images
more

## Targets

- [x] plan rate
- [ ] images fast
`;

const section = (heading: string, text: string): Section => ({ heading, markdown: `${heading}\n\n${text}\n`, checks: [] });

describe('spliceSection', () => {
  it('replaces the section with the same heading and leaves the others as they were', () => {
    const out = spliceSection(doc, section('## Images (issue 13)', 'new images'));
    expect(out).toContain('## Planning\n\nold planning\n\n## Images (issue 13)\n\nnew images\n\n## Targets');
    expect(out).not.toContain('old images');
  });

  it('adds a section not yet in the file just before the targets', () => {
    const out = spliceSection(doc, section('## The campaign report (issue 15)', 'report'));
    expect(out).toContain('old images\nmore\n\n## The campaign report (issue 15)\n\nreport\n\n## Targets');
  });
});

describe('spliceTargets', () => {
  it('updates a target found by its label and appends a new one after the last', () => {
    const out = spliceTargets(doc, [['images fast', true], ['report bounded', false]]);
    expect(out.endsWith('## Targets\n\n- [x] plan rate\n- [x] images fast\n- [ ] report bounded\n')).toBe(true);
  });

  it('starts the targets list when the file has none', () => {
    expect(spliceTargets('# Benchmarks\n', [['a', true]])).toBe('# Benchmarks\n\n## Targets\n\n- [x] a\n');
  });
});

describe('stampSection', () => {
  it('puts the partial run and its machine under the heading, the figures unchanged below', () => {
    const stamp = partialRunStamp(['dispatch'], '2026-12-01', '2 × AMD EPYC, 24 GiB', 'v20.20.2');
    const out = spliceSection(doc, stampSection(section('## Images (issue 13)', 'new images'), stamp));
    expect(out).toContain('## Images (issue 13)\n\n_Re-measured by `npm run bench -- dispatch` on 2026-12-01: 2 × AMD EPYC, 24 GiB, Node v20.20.2._\n\nnew images\n\n## Targets');
    expect(out).toContain('## Planning\n\nold planning\n\n## Images');
  });
});
