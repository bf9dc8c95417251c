import { idRange } from './post-events';

describe('idRange', () => {
  it.each([
    [[5, 3, 4], [3, 5]],
    [[7], [7, 7]],
    [[1, 2, 3, 4], [1, 4]],
  ])('names %j by its bounds when they fill the range', (ids, range) => {
    expect(idRange(ids)).toEqual(range);
  });

  it.each([
    [[]],
    [[1, 3]], // a gap: another row may hold 2
    [[1, 1, 3]], // a duplicate makes up the count but leaves 2 out
  ])('keeps the list for %j', (ids) => {
    expect(idRange(ids)).toBeUndefined();
  });
});
