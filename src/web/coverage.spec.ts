import { countInto, emptyCell, missedReason } from './coverage';

describe('countInto', () => {
  it('sorts statuses into pending, approved, published and missed, and colours a cell by the most urgent', () => {
    const cell = emptyCell();
    for (const status of ['published', 'approved', 'publishing', 'draft', 'in_review', 'cancelled']) countInto(cell, status);
    expect(cell).toEqual({ pending: 2, approved: 2, published: 1, missed: 0, total: 5, worst: 'pending' });
    countInto(cell, 'failed');
    expect(cell).toMatchObject({ missed: 1, total: 6, worst: 'missed' });
  });

  it('leaves a day of cancelled posts empty', () => {
    const cell = emptyCell();
    countInto(cell, 'cancelled');
    expect(cell).toEqual(emptyCell());
  });
});

describe('missedReason', () => {
  it('names the system’s reasons by key and keeps a person’s own words', () => {
    expect(missedReason('not approved by its time')).toEqual({ key: 'notApproved' });
    expect(missedReason('due more than the grace period ago: not published late')).toEqual({ key: 'grace' });
    expect(missedReason(null)).toEqual({ key: 'notApproved' });
    expect(missedReason('held back by the ministry')).toEqual({ text: 'held back by the ministry' });
  });
});
