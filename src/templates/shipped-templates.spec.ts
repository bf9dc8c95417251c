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
const CYRILLIC_LOCALES = ['sr-Cyrl', 'sr-Cyrl-BA', 'mk', 'bg'];
const LATIN_SERBIAN_LOCALES = ['sr-Latn', 'cnr'];
/** Latin words a Cyrillic post may carry: the network's name and common acronyms. */
const ALLOWED_LATIN = new Set(['TRM', 'ICMPD', 'NATC', 'SEE', 'EU', 'NVO']);

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
    expect(files).toEqual(['bg', 'bs', 'cnr', 'en', 'hr', 'mk', 'ro', 'sl', 'sq', 'sr-Cyrl', 'sr-Cyrl-BA', 'sr-Latn']);
  });

  it('translate all 21 messages into every member locale', () => {
    const locales = [...new Set(campaign.members.flatMap((m) => m.locales))].sort();
    expect(locales).toEqual(['bg', 'bs', 'cnr', 'en', 'hr', 'mk', 'ro', 'sl', 'sq', 'sr-Cyrl', 'sr-Cyrl-BA', 'sr-Latn']);
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
      ro: 'needs-review', sl: 'needs-review', sq: 'needs-review', 'sr-Cyrl': 'needs-review', 'sr-Cyrl-BA': 'needs-review', 'sr-Latn': 'needs-review',
    });
    expect(loaded.coverage.map((c) => [c.locale, c.needsReview])).toEqual(
      loaded.coverage.map((c) => [c.locale, c.locale === 'en' ? 0 : 21]),
    );
  });
});

describe('the shipped plan (planPosts)', () => {
  it('renders 835 posts, none a fallback to English', () => {
    expect(posts).toHaveLength(835);
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
        'Za pravočasno identifikacijo žrtev trgovine z ljudmi ter identifikacijo in kazenski pregon storilcev je potreben ' +
          'nadaljnji poklicni razvoj vseh pristojnih organov. Slovenija: v letu 2020 je policija obravnavala 29 kaznivih dejanj ' +
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

describe('the shipped messages say only what the seeds say (../shared/seeds)', () => {
  const ofMessage = (message: string) => posts.filter((p) => p.message === message);
  const locales = [...new Set(posts.map((p) => p.locale))].sort();
  const renderer = new MessageRenderer(campaign, loaded.templates!);
  const slovenia = campaign.members.find((m) => m.code === 'SI')!;
  const english = (message: string, network: 'facebook' | 'x' = 'facebook', member = slovenia) =>
    renderer.render({ member, locale: 'en', message, theme: 'policy', date: '2021-10-18', network }).text;

  it('policy-5: the coordinators welcome the 2021–2025 Strategy’s adoption (000), not “share its priorities” (2012, of another strategy)', () => {
    expect(english('policy-5')).toContain('welcome its adoption');
    expect(posts.filter((p) => p.message === 'policy-5' && /priorit/i.test(p.text) && p.locale === 'en').map(describePost)).toEqual([]);
  });

  it('victim-assistance-2: TRM were developed in cooperation with ICMPD (002), in every locale', () => {
    expect(english('victim-assistance-2')).not.toContain('together with the European Union');
    const all = ofMessage('victim-assistance-2');
    expect(new Set(all.map((p) => p.locale)).size).toBe(locales.length);
    expect(all.filter((p) => !p.text.includes('ICMPD')).map(describePost)).toEqual([]);
  });

  // 000 §4: "… cooperation with non-EU countries in the SEE region".
  const NON_EU: Record<string, RegExp> = {
    en: /non-EU countries/, sl: /nečlanic/, hr: /nisu članice EU-a|izvan EU-a/, bs: /nisu članice EU|van EU/, cnr: /nisu članice EU|van EU/,
    'sr-Latn': /nisu članice EU|van EU/, 'sr-Cyrl': /нису чланице ЕУ|ван ЕУ/, 'sr-Cyrl-BA': /нису чланице ЕУ|ван ЕУ/,
    mk: /не се членки на ЕУ|надвор од ЕУ/, bg: /не са членки на ЕС|извън ЕС/, ro: /nu sunt membre ale UE|din afara UE/, sq: /nuk janë anëtare të BE-së|jashtë BE-së/,
  };
  it('capacity-building-5: the invitation is about the non-EU countries of the region, in every locale and form', () => {
    expect(Object.keys(NON_EU).sort()).toEqual(locales);
    expect(ofMessage('capacity-building-5').filter((p) => !NON_EU[p.locale].test(p.text)).map(describePost)).toEqual([]);
  });

  it('victim-assistance-5 and -6: the 2011 findings are dated, in every locale and form, and no longer say “assisted”', () => {
    const all = [...ofMessage('victim-assistance-5'), ...ofMessage('victim-assistance-6')];
    expect(all.filter((p) => !p.text.includes('2011')).map(describePost)).toEqual([]);
    expect(english('victim-assistance-5')).not.toMatch(/assist/);
    expect(english('victim-assistance-6')).toContain('mechanisms of compensation for trafficked persons needed to be further developed');
  });

  it('capacity-building-6: the short form counts persons convicted of the crime, as 003 does (not “convictions”)', () => {
    expect(english('capacity-building-6', 'x')).toBe(
      'Ending impunity calls for a higher number of convictions for trafficking in human beings. Slovenia: 32 persons convicted of this crime in the last five years.\n#EndImpunity #NATCSEE',
    );
    const slovenian = ofMessage('capacity-building-6').filter((p) => p.member === 'SI');
    expect(slovenian.length).toBeGreaterThan(0);
    for (const post of slovenian) expect(post.text).toMatch(/32 oseb/);
  });
});

describe('Bosnia and Herzegovina’s Serbian (sr-Cyrl-BA)', () => {
  const ba = posts.filter((p) => p.member === 'BA');

  it('is the Serbian BA posts in, not Serbia’s sr-Cyrl', () => {
    expect([...new Set(ba.map((p) => p.locale))].sort()).toEqual(['bs', 'hr', 'sr-Cyrl-BA']);
  });

  it('is ijekavian: no ekavian form of a word with jat, and the ijekavian ones are there', () => {
    const serbian = ba.filter((p) => p.locale === 'sr-Cyrl-BA');
    const ekavian = /(?<!\p{L})(деца|деце|дете|детета|дело|дела|делотвор\p{L}*|делуј\p{L}*|свет|свету|последњ\p{L}*|размен\p{L}*|обезбе\p{L}*|недеље|процењ\p{L}*|примењ\p{L}*|увек|подразумева|захтева|унапреде|обавештај\p{L}*|спреч\p{L}*|мери|дељење|време|лек|решење)(?!\p{L})/iu;
    expect(serbian.filter((p) => ekavian.test(p.text)).map((p) => `${describePost(p)}: ${ekavian.exec(p.text)![0]}`)).toEqual([]);
    const all = serbian.map((p) => p.text).join('\n');
    for (const word of ['дјеце', 'свијету', 'дјелотворн', 'Посљедња', 'размјену', 'обезбиједи']) expect(all).toContain(word);
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

  it('plans the same 835 posts, same texts, each 313 weeks later at the same local time and UTC offset', () => {
    const replayed = posts.map((p) => ({ ...p, slotDate: moveDate(p.slotDate), localTime: moveLocal(p.localTime), scheduledAt: DateTime.fromJSDate(p.scheduledAt, { zone: 'UTC' }).plus({ weeks: 313 }).toJSDate() }));
    // The same offset on both sides of each date: summer time ends on 31 October in 2027 as in 2021.
    expect(later.posts).toEqual(replayed);
    expect(later.posts.filter((p) => p.length > p.limit || p.fallback).map(describePost)).toEqual([]);
  });
});
