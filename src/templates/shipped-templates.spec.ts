import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { REPO_ROOT, SHIPPED_CAMPAIGN_FILE, SHIPPED_TEMPLATES_ROOT } from '../../test/factories/campaign';
import { readCampaignFile } from '../campaigns/campaign-file';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { planPosts, PlannedPost } from '../posts/plan';
import { MessageRenderer } from './message-renderer';
import { formatTemplateError, loadTemplateSet } from './template-set';

const TEMPLATES_DIR = join(SHIPPED_TEMPLATES_ROOT, 'natc-see-2021');
const CYRILLIC_LOCALES = ['sr-Cyrl', 'mk', 'bg'];
const LATIN_SERBIAN_LOCALES = ['sr-Latn', 'cnr'];
/** Latin words a Cyrillic post may carry: the network's name and common acronyms. */
const ALLOWED_LATIN = new Set(['TRM', 'NATC', 'SEE', 'EU', 'NVO']);

function loadShipped(path = SHIPPED_CAMPAIGN_FILE) {
  const file = readCampaignFile(path, {});
  if (!file.ok) throw new Error(JSON.stringify(file.errors));
  const campaign: CampaignDefinition = file.campaign;
  const loaded = loadTemplateSet(SHIPPED_TEMPLATES_ROOT, campaign);
  const posts: PlannedPost[] = loaded.templates ? [...planPosts(campaign, new MessageRenderer(campaign, loaded.templates))] : [];
  return { campaign, loaded, posts };
}

const { campaign, loaded, posts } = loadShipped();
const describePost = (p: PlannedPost) => `${p.member} ${p.network} ${p.locale} ${p.slotDate} ${p.message}`;
/** The post without its last line when that line holds only hashtags. */
const bodyOf = (text: string) => text.split('\n').filter((line) => !/^(#\p{L}[\p{L}\p{N}_]*\s*)+$/u.test(line)).join('\n');

describe('the shipped campaign and its templates', () => {
  it('load with zero errors', () => {
    expect(loaded.errors.map(formatTemplateError)).toEqual([]);
    expect(loaded.templates).toBeDefined();
  });

  it('ship a file for exactly the default locale and every member locale', () => {
    const files = readdirSync(TEMPLATES_DIR).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(files).toEqual(['bg', 'bs', 'cnr', 'en', 'hr', 'mk', 'ro', 'sl', 'sq', 'sr-Cyrl', 'sr-Latn']);
  });

  it('translate all 21 messages into every member locale', () => {
    const locales = [...new Set(campaign.members.flatMap((m) => m.locales))].sort();
    expect(locales).toEqual(['bg', 'bs', 'cnr', 'en', 'hr', 'mk', 'ro', 'sl', 'sq', 'sr-Cyrl', 'sr-Latn']);
    for (const entry of loaded.coverage) {
      expect({ locale: entry.locale, messages: entry.messages, translated: entry.translated, missing: entry.missing }).toEqual({
        locale: entry.locale,
        messages: 21,
        translated: 21,
        missing: [],
      });
    }
  });

  it('mark every translation as needing review and English as the source', () => {
    const reviewStates = Object.fromEntries(
      readdirSync(TEMPLATES_DIR).map((f) => [f.replace(/\.yaml$/, ''), (parse(readFileSync(join(TEMPLATES_DIR, f), 'utf8')) as { review: string }).review]),
    );
    expect(reviewStates).toEqual({
      bg: 'needs-review', bs: 'needs-review', cnr: 'needs-review', en: 'source', hr: 'needs-review', mk: 'needs-review',
      ro: 'needs-review', sl: 'needs-review', sq: 'needs-review', 'sr-Cyrl': 'needs-review', 'sr-Latn': 'needs-review',
    });
    expect(loaded.coverage.map((c) => [c.locale, c.needsReview])).toEqual(
      loaded.coverage.map((c) => [c.locale, c.locale === 'en' ? 0 : 21]),
    );
  });
});

describe('the shipped plan (planPosts)', () => {
  it('renders 877 posts, none a fallback to English', () => {
    expect(posts).toHaveLength(877);
    expect(posts.filter((p) => p.fallback).map(describePost)).toEqual([]);
  });

  it('fits every post within its network’s limit, counted the network’s way', () => {
    expect(posts.filter((p) => p.length > p.limit).map((p) => `${describePost(p)}: ${p.length}/${p.limit}`)).toEqual([]);
  });

  it('keeps the long form wherever the network has room for it (Facebook, LinkedIn, Instagram, Mastodon)', () => {
    const roomy = posts.filter((p) => ['facebook', 'linkedin', 'instagram', 'mastodon'].includes(p.network));
    expect(roomy.length).toBeGreaterThan(0);
    expect(roomy.filter((p) => p.variant !== 'text').map(describePost)).toEqual([]);
  });

  it.each(['&amp;', '&#', '{{', '}}', 'undefined', 'null', 'NaN', '[object Object]'])('never puts %j in a post', (needle) => {
    expect(posts.filter((p) => p.text.includes(needle)).map(describePost)).toEqual([]);
  });

  it.each(CYRILLIC_LOCALES)('writes %s posts in Cyrillic, apart from the allowed acronyms and the hashtags line', (locale) => {
    const ofLocale = posts.filter((p) => p.locale === locale);
    expect(ofLocale.length).toBeGreaterThan(0);
    const latinWords = ofLocale.flatMap((p) => (bodyOf(p.text).match(/[A-Za-z]+/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w)).map((w) => `${describePost(p)}: ${w}`));
    expect(latinWords).toEqual([]);
  });

  it.each(LATIN_SERBIAN_LOCALES)('writes %s posts without a single Cyrillic letter', (locale) => {
    const ofLocale = posts.filter((p) => p.locale === locale);
    expect(ofLocale.length).toBeGreaterThan(0);
    expect(ofLocale.filter((p) => /\p{Script=Cyrillic}/u.test(p.text)).map(describePost)).toEqual([]);
  });

  it('ends every post with the campaign hashtags', () => {
    expect(posts.filter((p) => !p.text.endsWith('#EndImpunity #NATCSEE')).map(describePost)).toEqual([]);
  });

  describe('facts', () => {
    const capacity3 = (member: string) => posts.filter((p) => p.member === member && p.message === 'capacity-building-3');

    it('cites Slovenia’s 2020 figures in its Slovenian capacity-building-3 posts', () => {
      const slovenian = capacity3('SI');
      // Slovenia posts twice on weekdays: its 3rd and 10th slots of the week carry capacity-building-3.
      expect(slovenian.map((p) => `${p.localTime} ${p.network}`).sort()).toEqual([
        '2021-10-26T09:00 facebook', '2021-10-26T09:00 linkedin', '2021-10-26T09:00 x',
        '2021-10-29T16:30 facebook', '2021-10-29T16:30 linkedin', '2021-10-29T16:30 x',
      ]);
      for (const post of slovenian) expect(post.text).toMatch(/\b29\b.*\b27\b/s);
      expect(slovenian.find((p) => p.network === 'facebook')!.text).toBe(
        'Nadaljnji poklicni razvoj vseh pristojnih organov zagotavlja pravočasno identifikacijo žrtev trgovine z ljudmi ter ' +
          'identifikacijo in kazenski pregon storilcev. Slovenija: v letu 2020 je policija obravnavala 29 kaznivih dejanj ' +
          'trgovine z ljudmi in odkrila 27 storilcev.\n#EndImpunity #NATCSEE',
      );
    });

    it('leaves the fact sentence out for members without facts', () => {
      const albanian = capacity3('AL');
      expect(albanian.map((p) => p.network).sort()).toEqual(['facebook', 'x']);
      for (const post of albanian) expect(post.text).not.toMatch(/\b(29|27|2020)\b/);
      const withoutFacts = posts.filter((p) => p.member !== 'SI' && p.message.startsWith('capacity-building-'));
      expect(withoutFacts.filter((p) => /\b(29|27|33|32)\b/.test(p.text)).map(describePost)).toEqual([]);
    });
  });
});

describe('the 2027 campaign (campaigns/natc-see-2027.yaml): 2021 replayed 313 weeks later', () => {
  const later = loadShipped(join(REPO_ROOT, 'campaigns', 'natc-see-2027.yaml'));
  // 313 weeks: Monday 18 October 2021 → Monday 18 October 2027, so every weekday rule still holds.
  const moveDate = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ weeks: 313 }).toISODate()!;
  const moveLocal = (localTime: string) => DateTime.fromISO(localTime, { zone: 'UTC' }).plus({ weeks: 313 }).toFormat("yyyy-MM-dd'T'HH:mm");

  it('is the 2021 campaign with every date moved by whole weeks, on the 2021 templates', () => {
    const moved = JSON.parse(JSON.stringify(campaign).replace(/\b2021-\d\d-\d\d\b/g, moveDate));
    expect(later.campaign).toEqual({ ...moved, slug: 'natc-see-2027', name: 'End impunity — EU Anti-Trafficking Day 2027', templates: 'natc-see-2021' });
    expect([later.campaign.start, later.campaign.end]).toEqual(['2027-10-18', '2027-11-07']);
    expect(later.campaign.members.filter((m) => m.blackout.length > 0).map((m) => `${m.code} ${m.blackout}`)).toEqual(['HR 2027-11-01', 'SI 2027-11-01']);
  });

  it('loads with zero template errors', () => {
    expect(later.loaded.errors.map(formatTemplateError)).toEqual([]);
  });

  it('plans the same 877 posts, same texts, each 313 weeks later at the same local time and UTC offset', () => {
    const replayed = posts.map((p) => ({ ...p, slotDate: moveDate(p.slotDate), localTime: moveLocal(p.localTime), scheduledAt: DateTime.fromJSDate(p.scheduledAt, { zone: 'UTC' }).plus({ weeks: 313 }).toJSDate() }));
    // The same offset on both sides of each date: summer time ends on 31 October in 2027 as in 2021.
    expect(later.posts).toEqual(replayed);
    expect(later.posts.filter((p) => p.length > p.limit || p.fallback).map(describePost)).toEqual([]);
  });
});
