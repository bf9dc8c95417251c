import { conformingTarget, describeProblem, editProblems, MediaFacts, submitProblems } from './network-media-rules';

const image = (over: Partial<MediaFacts> = {}): MediaFacts => ({ mime: 'image/jpeg', width: 1200, height: 1200, bytes: 300_000, alt: 'A poster', ...over });
const rules = (problems: { rule: string; index: number | null }[]) => problems.map((p) => `${p.rule}@${p.index}`);

describe('editProblems', () => {
  it.each([
    ['x', 4], ['bluesky', 4], ['mastodon', 4], ['instagram', 10], ['facebook', 10], ['linkedin', 9],
  ] as const)('lets %s carry at most %i images', (network, max) => {
    expect(editProblems(network, Array.from({ length: max }, () => image()))).toEqual([]);
    expect(rules(editProblems(network, Array.from({ length: max + 1 }, () => image())))).toEqual(['count@null']);
  });

  it.each([
    ['x', 1000, 'characters'], ['mastodon', 1500, 'characters'], ['bluesky', 2000, 'graphemes'],
  ] as const)('limits alt text on %s to %i %s', (network, max, _unit) => {
    expect(editProblems(network, [image({ alt: 'a'.repeat(max) })])).toEqual([]);
    expect(editProblems(network, [image({ alt: 'a'.repeat(max + 1) })])[0]).toMatchObject({ rule: 'alt-length', index: 0 });
  });

  it('counts Bluesky alt text in graphemes: 2,000 family emoji fit, though each is 11 UTF-16 units', () => {
    expect(editProblems('bluesky', [image({ alt: '👨‍👩‍👧‍👦'.repeat(2000) })])).toEqual([]);
    expect(editProblems('x', [image({ alt: '👨‍👩‍👧‍👦'.repeat(2000) })])[0].rule).toBe('alt-length');
  });

  it('takes Cyrillic alt text by characters, not bytes', () => {
    expect(editProblems('x', [image({ alt: 'ж'.repeat(1000) })])).toEqual([]);
  });

  it.each([
    [1080, 1350, true], [1080, 1080, true], [1910, 1000, true], [1080, 1400, false], [2000, 1000, false],
  ])('takes a %i×%i image on Instagram: %s (4:5 to 1.91:1)', (width, height, ok) => {
    expect(rules(editProblems('instagram', [image({ width, height })]))).toEqual(ok ? [] : ['aspect@0']);
  });

  it('allows an empty alt text and no image while the post is a draft', () => {
    expect(editProblems('x', [image({ alt: '' })])).toEqual([]);
    expect(editProblems('instagram', [])).toEqual([]);
  });
});

describe('submitProblems', () => {
  it('refuses an image without alt text, naming it', () => {
    const problems = submitProblems('mastodon', [image(), image({ alt: '  ' })]);
    expect(rules(problems)).toEqual(['alt-missing@1']);
    expect(describeProblem(problems[0], [7, 9])).toBe('media[1] (image 9): has no alt text: describe the image for people who cannot see it');
  });

  it('refuses an Instagram post without an image, or with a PNG', () => {
    expect(rules(submitProblems('instagram', []))).toEqual(['count@null']);
    expect(rules(submitProblems('instagram', [image({ mime: 'image/png' })]))).toEqual(['type@0']);
  });

  it('refuses an image over the network size (a copy should have been made at the edit)', () => {
    expect(rules(submitProblems('bluesky', [image({ bytes: 1_000_001 })]))).toEqual(['size@0']);
    expect(submitProblems('bluesky', [image({ bytes: 1_000_000 })])).toEqual([]);
  });
});

describe('conformingTarget', () => {
  it('asks for a copy within Bluesky’s 1,000,000 bytes of a larger image, in the same type', () => {
    expect(conformingTarget('bluesky', { mime: 'image/png', bytes: 3_000_000 })).toEqual({ maxBytes: 1_000_000, mime: 'image/png' });
    expect(conformingTarget('bluesky', { mime: 'image/png', bytes: 900_000 })).toBeNull();
    expect(conformingTarget('x', { mime: 'image/png', bytes: 3_000_000 })).toBeNull();
  });

  it('asks for a JPEG copy where the network takes only JPEG (Instagram)', () => {
    expect(conformingTarget('instagram', { mime: 'image/webp', bytes: 10_000 })).toEqual({ maxBytes: 8 * 1024 * 1024, mime: 'image/jpeg' });
  });
});
