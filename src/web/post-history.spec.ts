import { describeHistory, HistoryEvent, systemActor } from './post-history';

const event = (over: Partial<HistoryEvent>): HistoryEvent => ({
  at: '2021-10-18T08:02:00.000Z', actor: 'Iva Kovač', action: 'approved', fromStatus: 'in_review', toStatus: 'in_review', comment: null, revision: 3, textHash: 'abc', ...over,
});

describe('describeHistory', () => {
  const approvals = [{ step: 1, role: 'coordinator', by: 'Iva Kovač', at: '2021-10-18T08:02:00.000Z' }];
  const when = (iso: string) => `at ${iso}`;

  it('says which step of how many an approval was, and for which role', () => {
    expect(describeHistory([event({})], approvals, 2, when)[0]).toMatchObject({ step: { step: 1, steps: 2, role: 'coordinator' }, when: 'at 2021-10-18T08:02:00.000Z', system: null });
  });

  it('gives no step to an approval that a later edit voided, nor to other actions', () => {
    const [voided, taken] = describeHistory([event({ at: '2021-10-17T08:00:00.000Z' }), event({ action: 'taken over', actor: 'dispatcher a1b2' })], approvals, 2, when);
    expect(voided.step).toBeNull();
    expect(taken).toMatchObject({ step: null, actionKey: 'taken_over', system: 'dispatcher' });
  });
});

describe('systemActor', () => {
  it.each([['scheduler', 'scheduler'], ['importer', 'importer'], ['dispatcher 4f1c', 'dispatcher'], ['Iva Kovač', null], ['admin', null]])('%s → %s', (actor, kind) => {
    expect(systemActor(actor)).toBe(kind);
  });
});
