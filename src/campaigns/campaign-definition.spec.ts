import { buildCampaign, buildMember, RawCampaign, shippedCampaignInput } from '../../test/factories/campaign';
import type { FieldError } from '../common/object-reader';
import { validateCampaign } from './campaign-definition';

function errorsOf(input: RawCampaign, env: NodeJS.ProcessEnv = {}): FieldError[] {
  const result = validateCampaign(input, env);
  if (result.ok) throw new Error('expected the campaign to be refused');
  return result.errors;
}

const webhookChannel = { network: 'x', publisher: { type: 'webhook', url: 'https://hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_X_HOOK' } };

describe('validateCampaign', () => {
  describe('the shipped campaign (campaigns/natc-see-2021.yaml)', () => {
    const result = validateCampaign(shippedCampaignInput(), {});

    it('validates without errors', () => {
      expect(result.ok ? [] : result.errors).toEqual([]);
    });

    it('reads the three weekly themes and the twelve accounts', () => {
      if (!result.ok) throw new Error('invalid');
      const { campaign } = result;
      expect([campaign.start, campaign.end, campaign.defaultLocale, campaign.templates]).toEqual(['2021-10-18', '2021-11-07', 'en', 'natc-see-2021']);
      expect(campaign.themes.map((t) => `${t.key} ${t.start}–${t.end} (${t.messages.length})`)).toEqual([
        'policy 2021-10-18–2021-10-24 (7)',
        'capacity-building 2021-10-25–2021-10-31 (7)',
        'victim-assistance 2021-11-01–2021-11-07 (7)',
      ]);
      expect(campaign.members.map((m) => m.code)).toEqual(['AL', 'BA', 'BG', 'HR', 'XK', 'MD', 'ME', 'MK', 'RO', 'RS', 'SI', 'SEE']);
    });

    it('fills in the defaults: manual publishing, coordinator approval, no blackout, no facts', () => {
      if (!result.ok) throw new Error('invalid');
      const albania = result.campaign.members[0];
      expect(albania.channels).toEqual([
        { network: 'facebook', publisher: { type: 'manual' } },
        { network: 'x', publisher: { type: 'manual' } },
      ]);
      expect([albania.approval, albania.blackout, albania.facts, albania.slots]).toEqual([['coordinator'], [], {}, undefined]);
      const slovenia = result.campaign.members[10];
      expect([slovenia.approval, slovenia.blackout, slovenia.facts.offences]).toEqual([['coordinator', 'secretariat'], ['2021-11-01'], 29]);
    });
  });

  it('accepts the test builder’s campaign', () => {
    expect(validateCampaign(buildCampaign(), {})).toMatchObject({ ok: true, campaign: { slug: 'test-campaign', templates: 'test-campaign' } });
  });

  describe('templates: the folder under templates/ holding the messages', () => {
    it('defaults to the slug', () => {
      expect(validateCampaign(buildCampaign({ slug: 'natc-see-2030' }), {})).toMatchObject({ ok: true, campaign: { templates: 'natc-see-2030' } });
    });

    it('names another campaign’s folder, to share its messages', () => {
      expect(validateCampaign(buildCampaign({ templates: 'natc-see-2021' }), {})).toMatchObject({ ok: true, campaign: { slug: 'test-campaign', templates: 'natc-see-2021' } });
    });

    it.each(['../secrets', 'natc/see', 'Natc-See', ''])('refuses %j: a folder name, never a path', (templates) => {
      expect(errorsOf(buildCampaign({ templates })).map((e) => e.path)).toEqual(['templates']);
    });
  });

  describe('refuses bad input with an error naming the field', () => {
    const twoThemes = (a: [string, string], b: [string, string]) => [
      { key: 'a', start: a[0], end: a[1], messages: ['m'] },
      { key: 'b', start: b[0], end: b[1], messages: ['m'] },
    ];
    it.each<[string, RawCampaign, string, string]>([
      ['an unknown time zone', buildCampaign({ members: [buildMember({ timezone: 'Europe/Atlantis' })] }),
        'members[0].timezone', '"Europe/Atlantis" is invalid (not an IANA time zone)'],
      ['an end before the start', buildCampaign({ end: '2021-10-01' }), 'end', '2021-10-01 is before start 2021-10-25'],
      ['a date that does not exist', buildCampaign({ start: '2021-02-30' }), 'start', '"2021-02-30" is not a date (YYYY-MM-DD)'],
      ['a theme outside the campaign', buildCampaign({ themes: [{ key: 'policy', start: '2021-10-18', end: '2021-10-24', messages: ['m'] }] }),
        'themes[0]', 'policy (2021-10-18 – 2021-10-24) is outside the campaign (2021-10-25 – 2021-11-07)'],
      ['overlapping themes', buildCampaign({ themes: twoThemes(['2021-10-25', '2021-10-31'], ['2021-10-31', '2021-11-07']) }),
        'themes[1]', 'b overlaps themes[0] (a): a date belongs to one theme'],
      ['a member with an empty list of locales', buildCampaign({ members: [buildMember({ locales: [] })] }), 'members[0].locales', 'must not be empty'],
      ['a member without locales', buildCampaign({ members: [buildMember({ locales: undefined })] }), 'members[0].locales', 'is required'],
      ['an unknown locale', buildCampaign({ members: [buildMember({ locales: ['sl', 'klingon'] })] }),
        'members[0].locales[1]', '"klingon" is invalid (not a supported BCP 47 locale)'],
      ['an unknown network', buildCampaign({ members: [buildMember({ channels: [{ network: 'x' }, { network: 'myspace' }] })] }),
        'members[0].channels[1].network', '"myspace" is invalid (one of x, facebook, instagram, linkedin, mastodon, bluesky)'],
      ['an unknown top-level field', buildCampaign({ colour: 'red' }),
        'colour', 'unknown field (expected one of: slug, name, start, end, defaultLocale, hashtags, templates, approvalLeadHours, slots, themes, members, factsToReview, blackout, utm, requireReview)'],
      ['an unknown member field', buildCampaign({ members: [buildMember({ nickname: 'si' })] }),
        'members[0].nickname', 'unknown field (expected one of: code, name, timezone, locales, channels, approval, slots, blackout, facts)'],
      ['an unknown channel field', buildCampaign({ members: [buildMember({ channels: [{ network: 'x', handle: '@si' }] })] }),
        'members[0].channels[0].handle', 'unknown field (expected one of: network, publisher)'],
      ['an unknown slot field', buildCampaign({ slots: [{ time: '10:00', every: 'day' }] }), 'slots[0].every', 'unknown field (expected one of: time, days)'],
      ['a slot at 25:00', buildCampaign({ slots: [{ time: '25:00' }] }), 'slots[0].time', '"25:00" is invalid (HH:mm, 24-hour local wall clock)'],
      ['a member slot at 9:00 (not HH:mm)', buildCampaign({ members: [buildMember({ slots: [{ time: '9:00' }] })] }),
        'members[0].slots[0].time', '"9:00" is invalid (HH:mm, 24-hour local wall clock)'],
      ['an unknown weekday', buildCampaign({ slots: [{ time: '10:00', days: ['mon', 'funday'] }] }),
        'slots[0].days[1]', '"funday" is invalid (one of mon, tue, wed, thu, fri, sat, sun)'],
      ['a duplicate member code', buildCampaign({ members: [buildMember(), buildMember({ timezone: 'Europe/Vienna' })] }),
        'members[1].code', '"SI" is already used by members[0]'],
      ['a blackout date outside the campaign', buildCampaign({ members: [buildMember({ blackout: ['2021-12-25'] })] }),
        'members[0].blackout[0]', '2021-12-25 is outside the campaign (2021-10-25 – 2021-11-07)'],
      ['a webhook whose secret variable is unset', buildCampaign({ members: [buildMember({ channels: [webhookChannel] })] }),
        'members[0].channels[0].publisher.secretEnv', 'environment variable PUBLISHER_SECRET_X_HOOK is not set'],
      ['a member without a name in the default locale', buildCampaign({ members: [buildMember({ name: { sl: 'Slovenija' } })] }),
        'members[0].name', 'needs a name in the default locale (en)'],
      ['a member without any slot', buildCampaign({ slots: undefined }), 'members[0].slots', 'no posting slots: give the member slots or the campaign default slots'],
    ])('refuses %s', (_, input, path, message) => {
      expect(errorsOf(input)).toContainEqual({ path, message });
    });
  });

  describe('publisher secrets', () => {
    const input = buildCampaign({ members: [buildMember({ channels: [webhookChannel] })] });

    it('accepts a webhook when its secretEnv is set in the given environment', () => {
      const result = validateCampaign(input, { PUBLISHER_SECRET_X_HOOK: 'hook-secret' });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.campaign.members[0].channels).toEqual([
        { network: 'x', publisher: { type: 'webhook', url: 'https://hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_X_HOOK' } },
      ]);
    });

    it('treats an empty variable as unset', () => {
      expect(errorsOf(input, { PUBLISHER_SECRET_X_HOOK: '' })).toEqual([
        { path: 'members[0].channels[0].publisher.secretEnv', message: 'environment variable PUBLISHER_SECRET_X_HOOK is not set' },
      ]);
    });

    it('refuses a mastodon publisher whose tokenEnv is unset, naming the field', () => {
      const mastodon = { network: 'mastodon', publisher: { type: 'mastodon', instance: 'https://mastodon.example', tokenEnv: 'PUBLISHER_SECRET_MASTODON_SI' } };
      expect(errorsOf(buildCampaign({ members: [buildMember({ channels: [mastodon] })] }))).toEqual([
        { path: 'members[0].channels[0].publisher.tokenEnv', message: 'environment variable PUBLISHER_SECRET_MASTODON_SI is not set' },
      ]);
    });
  });

  describe('publisher secrets and URLs that could leak the service\'s own secrets', () => {
    const channelWith = (publisher: Record<string, string>) => buildCampaign({ members: [buildMember({ channels: [{ network: 'mastodon', publisher }] })] });
    const mastodonAt = (instance: string, tokenEnv = 'PUBLISHER_SECRET_M') => channelWith({ type: 'mastodon', instance, tokenEnv });

    it.each(['BOOTSTRAP_ADMIN_TOKEN', 'DATABASE_URL', 'SMTP_URL'])('refuses tokenEnv %s: not a PUBLISHER_SECRET_ name nor one from SECRETS_FILE', (name) => {
      expect(errorsOf(mastodonAt('https://attacker.example', name))).toEqual([{
        path: 'members[0].channels[0].publisher.tokenEnv',
        message: `${name} cannot be a publisher secret: name an environment variable starting with PUBLISHER_SECRET_ or a name listed in SECRETS_FILE`,
      }]);
    });

    it('accepts a name without the prefix when the secrets (SECRETS_FILE) hold it', () => {
      expect(validateCampaign(mastodonAt('https://m.example', 'SI_MASTODON'), { SI_MASTODON: 'token' }).ok).toBe(true);
    });

    it.each([
      ['a webhook URL', { type: 'webhook', url: 'https://user:pass@hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_X' }, 'url', 'secretEnv'],
      ['a webhook URL with a user only', { type: 'webhook', url: 'https://user@hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_X' }, 'url', 'secretEnv'],
      ['a mastodon instance', { type: 'mastodon', instance: 'https://u:p@m.example', tokenEnv: 'PUBLISHER_SECRET_X' }, 'instance', 'tokenEnv'],
      ['a bluesky service', { type: 'bluesky', service: 'https://natc:app-pass@bsky.social', handle: 'natc.bsky.social', passwordEnv: 'PUBLISHER_SECRET_X' }, 'service', 'passwordEnv'],
    ])('refuses %s carrying user:password, without echoing it', (_, publisher, field, secretField) => {
      const errors = errorsOf(channelWith(publisher), { PUBLISHER_SECRET_X: 'x' });
      expect(errors).toEqual([{
        path: `members[0].channels[0].publisher.${field}`,
        message: `must not carry a user name or password (user:password@); name the secret in ${secretField}`,
      }]);
    });
  });

  describe('bluesky publisher', () => {
    const blueskyChannel = (publisher: Record<string, unknown>) => buildCampaign({ members: [buildMember({ channels: [{ network: 'bluesky', publisher }] })] });
    const bluesky = { type: 'bluesky', service: 'https://bsky.social', handle: 'NATC-HR.bsky.social', passwordEnv: 'PUBLISHER_SECRET_BSKY_HR' };

    it('accepts service, handle and the app password named by passwordEnv (the handle in lower case)', () => {
      const result = validateCampaign(blueskyChannel(bluesky), { PUBLISHER_SECRET_BSKY_HR: 'abcd-efgh-ijkl-mnop' });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.campaign.members[0].channels[0].publisher).toEqual({ ...bluesky, handle: 'natc-hr.bsky.social' });
      expect(JSON.stringify(result.campaign)).not.toContain('abcd-efgh');
    });

    it.each([
      ['an unset passwordEnv', { ...bluesky }, {}, 'passwordEnv', 'environment variable PUBLISHER_SECRET_BSKY_HR is not set'],
      ['a passwordEnv outside PUBLISHER_SECRET_', { ...bluesky, passwordEnv: 'BOOTSTRAP_ADMIN_TOKEN' }, { PUBLISHER_SECRET_BSKY_HR: 'x' }, 'passwordEnv',
        'BOOTSTRAP_ADMIN_TOKEN cannot be a publisher secret: name an environment variable starting with PUBLISHER_SECRET_ or a name listed in SECRETS_FILE'],
      ['a service that is not http(s)', { ...bluesky, service: 'ftp://bsky.social' }, { PUBLISHER_SECRET_BSKY_HR: 'x' }, 'service', '"ftp://bsky.social" is invalid (an http(s) URL)'],
      ['a handle with "@"', { ...bluesky, handle: '@natc.bsky.social' }, { PUBLISHER_SECRET_BSKY_HR: 'x' }, 'handle', '"@natc.bsky.social" is invalid (a Bluesky handle such as natc-hr.bsky.social, without "@")'],
      ['a password in the file', { ...bluesky, password: 'abcd-efgh' }, { PUBLISHER_SECRET_BSKY_HR: 'x' }, 'password', 'unknown field'],
    ])('refuses %s, naming the field', (_, publisher, secrets, field, message) => {
      const errors = errorsOf(blueskyChannel(publisher), secrets);
      expect(errors).toEqual([{ path: `members[0].channels[0].publisher.${field}`, message: expect.stringContaining(message) }]);
    });
  });

  describe('overlapping themes', () => {
    const theme = (key: string, start: string, end: string) => ({ key, start, end, messages: ['m'] });

    it('names a theme that starts inside an earlier-listed one that starts later, by start order', () => {
      const input = buildCampaign({ themes: [theme('late', '2021-10-28', '2021-10-31'), theme('early', '2021-10-25', '2021-10-28')] });
      expect(errorsOf(input)).toEqual([{ path: 'themes[0]', message: 'late overlaps themes[1] (early): a date belongs to one theme' }]);
    });

    it('finds an overlap hidden behind a short theme inside a long one', () => {
      const input = buildCampaign({ themes: [theme('long', '2021-10-25', '2021-11-07'), theme('short', '2021-10-26', '2021-10-27'), theme('last', '2021-11-01', '2021-11-02')] });
      expect(errorsOf(input).map((e) => e.message)).toEqual([
        'short overlaps themes[0] (long): a date belongs to one theme',
        'last overlaps themes[0] (long): a date belongs to one theme',
      ]);
    });

    it('accepts themes that touch without sharing a date', () => {
      expect(validateCampaign(buildCampaign({ themes: [theme('a', '2021-10-25', '2021-10-31'), theme('b', '2021-11-01', '2021-11-07')] })).ok).toBe(true);
    });

    it('checks 1,500 themes over the same dates quickly, one error per theme rather than per pair', () => {
      const themes = Array.from({ length: 1500 }, (_, n) => theme(`t${n}`, '2021-10-25', '2021-11-07'));
      const started = performance.now();
      const errors = errorsOf(buildCampaign({ themes }));
      expect(performance.now() - started).toBeLessThan(3000);
      expect(errors).toHaveLength(1499);
      expect(errors[0]).toEqual({ path: 'themes[1]', message: 't1 overlaps themes[0] (t0): a date belongs to one theme' });
    });
  });

  it('quotes a long bad value shortened, and one nested too deep to serialise without crashing', () => {
    let deep: unknown = [];
    for (let n = 0; n < 100_000; n++) deep = [deep];
    const errors = errorsOf(buildCampaign({ name: 'x'.repeat(10_000).split(''), slug: deep }));
    expect(errors).toContainEqual({ path: 'slug', message: 'must be a non-empty string, got […]' });
    const name = errors.find((e) => e.path === 'name')!;
    expect(name.message.length).toBeLessThan(120);
    expect(name.message).toMatch(/…$/);
  });

  it('reports all errors at once, each with its path', () => {
    const input = buildCampaign({
      colour: 'red',
      end: '2021-10-20',
      slots: [{ time: '25:00', days: ['mon'] }, { time: '10:00' }],
      members: [
        buildMember({ blackout: ['2021-10-01'] }),
        buildMember({ nickname: 'again', name: { sl: 'Slovenija' } }),
        buildMember({ code: 'MD', timezone: 'Europe/Atlantis', name: { en: 'Moldova' }, locales: ['ro'] }),
      ],
    });
    expect(errorsOf(input).map((e) => e.path)).toEqual([
      'end',
      'slots[0].time',
      'members[0].blackout[0]',
      'members[1].nickname',
      'members[2].timezone',
      'colour',
      'themes[0]',
      'themes[1]',
      'members[1].code',
      'members[1].name',
    ]);
  });

  it('does not call a list empty when its only item is invalid', () => {
    const input = buildCampaign({ members: [buildMember({ timezone: 'Europe/Atlantis', locales: ['klingon'] })] });
    expect(errorsOf(input).map((e) => e.path)).toEqual(['members[0].timezone', 'members[0].locales[0]']);
  });

  it('names the right theme after an invalid theme', () => {
    const input = buildCampaign({
      themes: [
        { key: 'a', start: '2021-10-25', end: '2021-10-40', messages: ['m'] },
        { key: 'b', start: '2021-11-20', end: '2021-11-21', messages: ['m'] },
      ],
    });
    expect(errorsOf(input).map((e) => e.path)).toEqual(['themes[0].end', 'themes[1]']);
  });

  it('names the right member in cross-field errors after an invalid member', () => {
    const input = buildCampaign({
      members: [
        buildMember({ code: 'MD', timezone: 'Europe/Atlantis', name: { en: 'Moldova' }, locales: ['ro'] }),
        buildMember({ blackout: ['2021-12-25'] }),
        buildMember(),
      ],
    });
    expect(errorsOf(input)).toEqual([
      { path: 'members[0].timezone', message: '"Europe/Atlantis" is invalid (not an IANA time zone)' },
      { path: 'members[1].blackout[0]', message: '2021-12-25 is outside the campaign (2021-10-25 – 2021-11-07)' },
      { path: 'members[2].code', message: '"SI" is already used by members[1]' },
    ]);
  });

  it('names the missing required fields of an empty object', () => {
    expect(errorsOf({}).map((e) => `${e.path}: ${e.message}`)).toEqual([
      'slug: is required',
      'start: is required',
      'end: is required',
      'name: is required',
      'defaultLocale: is required',
      'themes: is required',
      'members: is required',
    ]);
  });
});
