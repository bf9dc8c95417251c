import { stateAtImport } from './campaign-life';

describe('stateAtImport', () => {
  const zones = ['Europe/Ljubljana', 'Europe/Chisinau'];

  it('keeps a campaign active while its last date is still running somewhere', () => {
    // 7 Nov 2021 23:30 in Ljubljana (CET) is already 8 Nov 00:30 in Chisinau, but not in Ljubljana.
    expect(stateAtImport('2021-11-07', zones, new Date('2021-11-07T22:30:00Z'))).toBe('active');
  });

  it('archives it once the day after its end has begun in every member zone', () => {
    expect(stateAtImport('2021-11-07', zones, new Date('2021-11-07T23:00:00Z'))).toBe('archived');
    expect(stateAtImport('2021-11-07', zones, new Date('2026-11-30T09:00:00Z'))).toBe('archived');
  });

  it('keeps a campaign that has not started active', () => {
    expect(stateAtImport('2027-11-07', zones, new Date('2026-11-30T09:00:00Z'))).toBe('active');
  });

  it('reads the end date in UTC when no member zone is given', () => {
    expect(stateAtImport('2021-11-07', [], new Date('2021-11-07T23:59:59Z'))).toBe('active');
    expect(stateAtImport('2021-11-07', [], new Date('2021-11-08T00:00:00Z'))).toBe('archived');
  });
});
