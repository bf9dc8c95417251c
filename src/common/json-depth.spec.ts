import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';

const nested = (depth: number, leaf: unknown = 1) => {
  let value: unknown = leaf;
  for (let n = 0; n < depth; n++) value = n % 2 ? [value] : { a: value };
  return value;
};

describe('jsonDepthExceeds', () => {
  it.each([
    ['a scalar', 'text', 0],
    ['an empty object', {}, 1],
    ['a campaign-shaped body', { members: [{ channels: [{ publisher: { type: 'manual' } }] }] }, 6],
  ])('counts %s by its levels of nesting', (_, value, depth) => {
    expect(jsonDepthExceeds(value, depth)).toBe(false);
    if (depth > 0) expect(jsonDepthExceeds(value, depth - 1)).toBe(true);
  });

  it('allows MAX_JSON_DEPTH levels and refuses one more', () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('walks 100,000 levels without overflowing the stack, quickly', () => {
    const started = performance.now();
    expect(jsonDepthExceeds(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(Array.from({ length: 100_000 }, () => ({ a: [1] })), MAX_JSON_DEPTH)).toBe(false);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
