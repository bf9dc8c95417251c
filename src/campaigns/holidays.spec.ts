import { buildCampaign, buildMember, defineCampaign, RawMember } from '../../test/factories/campaign';
import { countPlannedPosts } from '../posts/plan-size';
import { planMemberSlots } from '../posts/plan';
import { validateCampaign } from './campaign-definition';
import { hasHolidayCalendar, publicHolidays } from './holidays';

const croatia = (overrides: RawMember = {}) =>
  buildMember({ code: 'HR', name: { en: 'Croatia', hr: 'Hrvatska' }, timezone: 'Europe/Zagreb', locales: ['hr'], facts: undefined, ...overrides });
const regional = (overrides: RawMember = {}) =>
  buildMember({ code: 'SEE', name: { en: 'South-East Europe' }, timezone: 'Europe/Vienna', locales: ['en'], facts: undefined, ...overrides });
/** 25 Oct – 7 Nov 2027: All Saints' Day (1 Nov) falls inside. */
const in2027 = (members: RawMember[], extra: Record<string, unknown> = {}) => buildCampaign({
  start: '2027-10-25', end: '2027-11-07',
  themes: [
    { key: 'capacity-building', start: '2027-10-25', end: '2027-10-31', messages: ['cb-1'] },
    { key: 'victim-assistance', start: '2027-11-01', end: '2027-11-07', messages: ['va-1'] },
  ],
  members, ...extra,
});

describe('publicHolidays (date-holidays)', () => {
  it.each([
    ['HR', '2027-11-01', "All Saints' Day", 'Svi sveti'],
    ['SI', '2027-10-31', 'Reformation Day', 'dan reformacije'],
    ['SI', '2027-11-01', 'Remembrance Day', 'dan spomina na mrtve'],
    ['XK', '2027-12-25', 'Christmas Day', 'Krishtlindja'],
    ['MK', '2027-10-11', 'Day of the Macedonian Uprising in 1941', 'Ден на востанието'],
  ])('%s: %s is %s (%s)', (code, date, name, localName) => {
    const locales = { HR: ['hr'], SI: ['sl'], XK: ['sq', 'sr-Latn'], MK: ['mk', 'sq'] }[code]!;
    const found = publicHolidays({ code, locales }, date, date);
    expect(found).toEqual([expect.objectContaining({ member: code, date, localName })]);
    expect(found[0].name.toLowerCase()).toContain(name.toLowerCase().split(' ')[0]);
  });

  it('lists public holidays only: 2 Nov (All Souls) is a working day in Croatia', () => {
    expect(publicHolidays({ code: 'HR', locales: ['hr'] }, '2027-11-02', '2027-11-02')).toEqual([]);
  });

  it('knows every member country, Kosovo included, and not a regional code', () => {
    for (const code of ['AL', 'BA', 'BG', 'HR', 'XK', 'MD', 'ME', 'MK', 'RO', 'RS', 'SI']) expect(hasHolidayCalendar(code)).toBe(true);
    expect(hasHolidayCalendar('SEE')).toBe(false);
  });

  it('gives the English name only when the library lacks the first locale (cnr)', () => {
    const [allSaints] = publicHolidays({ code: 'ME', locales: ['cnr'] }, '2027-11-01', '2027-11-01');
    expect(allSaints).toEqual({ member: 'ME', date: '2027-11-01', name: "All Saints' Day" });
  });
});

describe('blackout: [holidays]', () => {
  it('adds the member’s public holidays to its blackout dates, beside its own dates, and lists them', () => {
    const campaign = defineCampaign(in2027([croatia({ blackout: ['holidays', '2027-11-02'] })]));
    expect(campaign.members[0].blackout).toEqual(['2027-11-01', '2027-11-02']);
    expect(campaign.holidays).toEqual([{ member: 'HR', date: '2027-11-01', name: "All Saints' Day", localName: 'Svi sveti' }]);
    const dates = [...planMemberSlots(campaign, campaign.members[0], () => new Date(0))].map((s) => s.slotDate);
    expect(dates).not.toContain('2027-11-01');
    expect(dates).not.toContain('2027-11-02');
    expect(dates).toHaveLength(12);
  });

  it('at the campaign level applies to every member with a national calendar, beside the members’ own dates', () => {
    const campaign = defineCampaign(in2027([croatia({ blackout: ['2027-10-27'] }), buildMember({ facts: undefined }), regional({ blackout: ['2027-10-28'] })], { blackout: ['holidays'] }));
    const [hr, si, see] = campaign.members;
    expect(hr.blackout).toEqual(['2027-10-27', '2027-11-01']);
    expect(si.blackout).toEqual(['2027-10-31', '2027-11-01']);
    expect(see.blackout).toEqual(['2027-10-28']);
    expect(campaign.holidays.map((h) => `${h.member} ${h.date}`)).toEqual(['HR 2027-11-01', 'SI 2027-10-31', 'SI 2027-11-01']);
  });

  it('is counted exactly by countPlannedPosts (it sees the dates)', () => {
    const campaign = defineCampaign(in2027([croatia(), buildMember({ facts: undefined })], { blackout: ['holidays'] }));
    // 14 days × 1 slot × 2 channels × 1 locale, less HR's 1 holiday and SI's 2
    expect(countPlannedPosts(campaign)).toBe((14 - 1) * 2 + (14 - 2) * 2);
  });

  it('leaves members alone without the keyword', () => {
    expect(defineCampaign(in2027([croatia()])).members[0].blackout).toEqual([]);
  });

  it.each([
    ['a member without a national calendar', in2027([regional({ blackout: ['2027-11-03', 'holidays'] })]), 'members[0].blackout[1]', 'date-holidays has no public holidays for "SEE": list the dates instead'],
    ['a misspelt keyword', in2027([croatia({ blackout: ['holiday'] })]), 'members[0].blackout[0]', '"holiday" is neither a date (YYYY-MM-DD) nor holidays'],
    ['a date outside the campaign', in2027([croatia({ blackout: ['holidays', '2027-12-01'] })]), 'members[0].blackout[1]', '2027-12-01 is outside the campaign (2027-10-25 – 2027-11-07)'],
    ['a date at the top level (dates go on members)', in2027([croatia()], { blackout: ['holidays', '2027-10-27'] }), 'blackout[1]', '"2027-10-27" is invalid (at the top level only holidays; dates go in each member\'s blackout)'],
    ['a campaign over three calendar years', { ...in2027([croatia()], { blackout: ['holidays'] }), end: '2040-12-31' }, 'blackout[0]', 'public holidays are looked up for campaigns of at most 3 calendar years; this one spans 2027-10-25 – 2040-12-31: list the dates instead'],
  ])('refuses %s, naming the field', (_, input, path, message) => {
    const result = validateCampaign(input);
    expect(result.ok ? [] : result.errors).toContainEqual({ path, message });
  });
});
