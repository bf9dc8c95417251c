import { DateTime } from 'luxon';
import { formatFieldError } from '../common/object-reader';
import { shippedCampaignInput, SHIPPED_TEMPLATES_ROOT } from '../../test/factories/campaign';
import { validateCampaign } from './campaign-definition';
import { generatePosts, prepareCampaign } from './campaign-plan';
import { editionName, editionSlug, editionWeeks, makeEdition, moveDate } from './edition';

/** The shipped 2021 campaign as stored at import (JSON), the source of every edition below. */
const source = (): Record<string, any> => JSON.parse(JSON.stringify(shippedCampaignInput()));

function edition(request: Record<string, unknown>, from = source()) {
  const made = makeEdition(from, request);
  if (!made.ok) throw new Error(made.errors.map(formatFieldError).join('\n'));
  return made;
}

describe('editionWeeks', () => {
  it.each([
    ['2021-10-18', '2027-10-18', 313],
    ['2021-10-18', '2028-10-16', 365],
    ['2021-10-18', '2029-10-15', 417],
    ['2021-10-18', '2021-10-18', 0],
    ['2021-10-18', '2021-10-11', -1],
  ])('%s → %s is %i whole weeks', (from, to, weeks) => {
    expect(editionWeeks(from, to)).toEqual({ weeks });
  });

  it.each([
    ['2027-10-20', '2027-10-20 is a Wednesday; the source starts on a Monday: choose 2027-10-18 or 2027-10-25'],
    ['2027-10-24', '2027-10-24 is a Sunday; the source starts on a Monday: choose 2027-10-18 or 2027-10-25'],
    ['2027-10-19', '2027-10-19 is a Tuesday; the source starts on a Monday: choose 2027-10-18 or 2027-10-25'],
    ['2021-10-13', '2021-10-13 is a Wednesday; the source starts on a Monday: choose 2021-10-11 or 2021-10-18'],
  ])('refuses %s, naming the two nearest starts on the same weekday', (start, message) => {
    expect(editionWeeks('2021-10-18', start)).toEqual({ error: message });
  });
});

describe('moveDate', () => {
  it.each([
    ['2021-10-31', 313, '2027-10-31'],
    ['2021-11-01', 365, '2028-10-30'],
    ['2021-12-31', 1, '2022-01-07'],
    ['2024-03-01', -1, '2024-02-23'],
  ])('%s moved by %i weeks is %s', (date, weeks, moved) => {
    expect(moveDate(date, weeks)).toBe(moved);
  });
});

describe('editionName and editionSlug', () => {
  it.each([
    ['End impunity — EU Anti-Trafficking Day 2021', '2028-10-16', 'End impunity — EU Anti-Trafficking Day 2028'],
    ['End impunity', '2028-10-16', 'End impunity (2028)'],
    ['Campaign 20210', '2028-10-16', 'Campaign 20210 (2028)'],
  ])('names an edition of "%s" starting %s "%s"', (name, start, expected) => {
    expect(editionName(name, '2021-10-18', start)).toBe(expected);
  });

  it.each([
    ['natc-see-2021', 'natc-see-2027'],
    ['end-impunity', 'end-impunity-2027'],
  ])('gives an edition of %s the default slug %s', (slug, expected) => {
    expect(editionSlug(slug, '2021-10-18', '2027-10-18')).toBe(expected);
  });
});

describe('makeEdition', () => {
  it('moves every date by the same whole number of weeks: start, end, themes, blackouts', () => {
    const { campaign, summary } = edition({ slug: 'natc-see-2028', start: '2028-10-16' });
    expect(summary.weeks).toBe(365);
    expect([campaign.start, campaign.end]).toEqual(['2028-10-16', '2028-11-05']);
    expect((campaign.themes as any[]).map((t) => [t.key, t.start, t.end])).toEqual([
      ['policy', '2028-10-16', '2028-10-22'],
      ['capacity-building', '2028-10-23', '2028-10-29'],
      ['victim-assistance', '2028-10-30', '2028-11-05'],
    ]);
    const blackouts = (campaign.members as any[]).filter((m) => m.blackout).map((m) => [m.code, m.blackout]);
    expect(blackouts).toEqual([['HR', ['2028-10-30']], ['SI', ['2028-10-30']]]);
  });

  it('keeps every date on its weekday', () => {
    const from = source();
    const { campaign } = edition({ slug: 'natc-see-2029', start: '2029-10-15' });
    const weekday = (date: string) => DateTime.fromISO(date).weekday;
    const dates = (c: Record<string, any>): string[] => [c.start, c.end, ...c.themes.flatMap((t: any) => [t.start, t.end]), ...c.members.flatMap((m: any) => m.blackout ?? [])];
    expect(dates(campaign).map(weekday)).toEqual(dates(from).map(weekday));
  });

  it('keeps members, channels, slots, approvals, hashtags and messages, and reads the source’s templates', () => {
    const from = source();
    const { campaign, summary } = edition({ slug: 'natc-see-2028', start: '2028-10-16' });
    const withoutDates = (m: any) => ({ ...m, blackout: undefined });
    expect((campaign.members as any[]).map(withoutDates)).toEqual(from.members.map(withoutDates));
    expect([campaign.slots, campaign.hashtags, campaign.defaultLocale]).toEqual([from.slots, from.hashtags, from.defaultLocale]);
    expect((campaign.themes as any[]).map((t) => t.messages)).toEqual(from.themes.map((t: any) => t.messages));
    expect([campaign.templates, summary.templates]).toEqual(['natc-see-2021', 'natc-see-2021']);
    expect(summary.notes).toContain('shares the templates of natc-see-2021 (templates/natc-see-2021/): its messages keep their wording, dates they cite included');
  });

  it('shares the folder its source shares, not the source’s slug', () => {
    const from = { ...source(), slug: 'natc-see-2027', templates: 'natc-see-2021', start: '2027-10-18', end: '2027-11-07' };
    expect(edition({ slug: 'natc-see-2034', start: '2034-10-16' }, from).campaign.templates).toBe('natc-see-2021');
  });

  it('keeps facts and flags them for review, in the campaign and in the notes', () => {
    const { campaign, summary } = edition({ slug: 'natc-see-2028', start: '2028-10-16' });
    expect((campaign.members as any[]).find((m) => m.code === 'SI').facts).toEqual(source().members.find((m: any) => m.code === 'SI').facts);
    expect([campaign.factsToReview, summary.factsToReview]).toEqual([['SI'], ['SI']]);
    expect(summary.notes).toContain('facts of SI were copied from natc-see-2021: check them for 2028, then re-plan without factsToReview');
  });

  it('says where a blackout moved off its calendar date (a fixed holiday)', () => {
    expect(edition({ slug: 'natc-see-2028', start: '2028-10-16' }).summary.notes).toContain(
      'members[3].blackout[0] (HR): 2021-11-01 moved to 2028-10-30; a holiday on a fixed date falls on 2028-11-01: check it',
    );
    // 313 weeks after 2021 the calendar repeats: 1 November is a Monday again, nothing to say.
    expect(edition({ slug: 'natc-see-2027', start: '2027-10-18' }).summary.notes.filter((n) => n.includes('blackout'))).toEqual([]);
  });

  it('keeps the holidays keyword as a keyword (the new year’s holidays are looked up) and moves the member’s dates beside it', () => {
    const withHolidays = source();
    withHolidays.blackout = ['holidays'];
    withHolidays.members.find((m: any) => m.code === 'HR').blackout = ['holidays', '2021-11-02'];
    const { campaign, summary } = edition({ slug: 'natc-see-2028', start: '2028-10-16' }, withHolidays);
    expect(campaign.blackout).toEqual(['holidays']);
    expect((campaign.members as any[]).find((m) => m.code === 'HR').blackout).toEqual(['holidays', '2028-10-31']);
    expect(summary.notes).toContain('blackout: holidays stays a keyword: public holidays are looked up for 2028-10-16 – 2028-11-05');
    const result = validateCampaign(campaign);
    if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
    // 1 November 2028 is a Wednesday: Croatia's All Saints' Day of the new year, not 2021's moved date.
    expect(result.campaign.holidays.filter((h) => h.member === 'HR')).toEqual([{ member: 'HR', date: '2028-11-01', name: "All Saints' Day", localName: 'Svi sveti' }]);
    expect(result.campaign.members.find((m) => m.code === 'HR')!.blackout).toEqual(['2028-10-31', '2028-11-01']);
  });

  it('names the edition after the source, with the new year, unless a name is given', () => {
    expect(edition({ slug: 'natc-see-2028', start: '2028-10-16' }).campaign.name).toBe('End impunity — EU Anti-Trafficking Day 2028');
    expect(edition({ slug: 'natc-see-2028', start: '2028-10-16', name: 'Ten years on' }).campaign.name).toBe('Ten years on');
  });

  it('makes a campaign the validator accepts, factsToReview included', () => {
    const result = validateCampaign(edition({ slug: 'natc-see-2028', start: '2028-10-16' }).campaign);
    expect(result.ok && result.campaign.factsToReview).toEqual(['SI']);
  });

  it('leaves the source object unchanged', () => {
    const from = source();
    const before = JSON.stringify(from);
    edition({ slug: 'natc-see-2028', start: '2028-10-16' }, from);
    expect(JSON.stringify(from)).toBe(before);
  });

  it.each([
    [{ start: '2028-10-16' }, 'slug', 'is required'],
    [{ slug: 'Natc 2028', start: '2028-10-16' }, 'slug', '"Natc 2028" is invalid (lowercase letters, digits and single dashes)'],
    [{ slug: 'natc-see-2028' }, 'start', 'is required'],
    [{ slug: 'natc-see-2028', start: '16.10.2028' }, 'start', '"16.10.2028" is not a date (YYYY-MM-DD)'],
    [{ slug: 'natc-see-2028', start: '2028-10-18' }, 'start', '2028-10-18 is a Wednesday; the source starts on a Monday: choose 2028-10-16 or 2028-10-23'],
    [{ slug: 'natc-see-2028', start: '9999-12-27' }, 'start', "9999-12-27 moves the campaign's end to +010000-01-16, not a date (YYYY-MM-DD)"],
    [{ slug: 'natc-see-2028', start: '2028-10-16', name: '' }, 'name', 'must be a non-empty string, got ""'],
    [{ slug: 'natc-see-2028', start: '2028-10-16', end: '2028-11-05' }, 'end', 'unknown field (expected one of: slug, start, name)'],
  ])('refuses %j, naming %s', (request, field, message) => {
    expect(makeEdition(source(), request)).toEqual({ ok: false, errors: [{ path: field, message }] });
  });

  it('refuses a body that is not an object', () => {
    expect(makeEdition(source(), 'natc-see-2028')).toMatchObject({ ok: false, errors: expect.arrayContaining([{ path: '', message: 'must be an object' }]) });
  });
});

describe('validateCampaign: factsToReview', () => {
  it('refuses a code that is not a member of the campaign, naming it', () => {
    const result = validateCampaign({ ...source(), factsToReview: ['SI', 'XX'] });
    expect(result).toEqual({ ok: false, errors: [{ path: 'factsToReview[1]', message: '"XX" is not a member of this campaign' }] });
  });
});

describe('an edition planned in each member’s zone for its own year’s summer time', () => {
  /** Croatia's 10:00 post, and Moldova's (which changes at 03:00 local), around the switch. */
  function localAndUtc(start: string, member: string, dates: string[]) {
    const prepared = prepareCampaign(edition({ slug: `natc-see-${start.slice(0, 4)}`, start }).campaign, SHIPPED_TEMPLATES_ROOT, {});
    if (!prepared.ok) throw new Error(JSON.stringify(prepared));
    const posts = [...generatePosts(prepared.prepared)].filter((p) => p.member === member && p.network === 'facebook');
    return dates.map((date) => posts.filter((p) => p.slotDate === date).map((p) => [p.localTime, p.scheduledAt.toISOString()])[0]);
  }

  it('2027: summer time ends on Sunday 31 October', () => {
    expect(localAndUtc('2027-10-18', 'HR', ['2027-10-30', '2027-10-31'])).toEqual([
      ['2027-10-30T10:00', '2027-10-30T08:00:00.000Z'],
      ['2027-10-31T10:00', '2027-10-31T09:00:00.000Z'],
    ]);
  });

  it('2029: summer time ends on Sunday 28 October, and 10:00 local stays 10:00 on both sides', () => {
    expect(localAndUtc('2029-10-15', 'HR', ['2029-10-27', '2029-10-28', '2029-11-01'])).toEqual([
      ['2029-10-27T10:00', '2029-10-27T08:00:00.000Z'],
      ['2029-10-28T10:00', '2029-10-28T09:00:00.000Z'],
      ['2029-11-01T10:00', '2029-11-01T09:00:00.000Z'],
    ]);
    expect(localAndUtc('2029-10-15', 'MD', ['2029-10-27', '2029-10-28'])).toEqual([
      ['2029-10-27T10:00', '2029-10-27T07:00:00.000Z'],
      ['2029-10-28T10:00', '2029-10-28T08:00:00.000Z'],
    ]);
  });
});
