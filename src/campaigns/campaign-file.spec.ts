import { join } from 'node:path';
import { SHIPPED_CAMPAIGN_FILE, shippedCampaignSource } from '../../test/factories/campaign';
import { CampaignFileError, formatCampaignFileError, parseCampaignSource, readCampaignFile } from './campaign-file';

function errorsOf(source: string, env: NodeJS.ProcessEnv = {}): CampaignFileError[] {
  const result = parseCampaignSource(source, 'campaigns/test.yaml', env);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

/** The shipped file with one substring replaced (each replacement must match exactly once). */
function shippedWith(...replacements: [string, string][]): string {
  return replacements.reduce((source, [from, to]) => {
    expect(source.split(from)).toHaveLength(2);
    return source.replace(from, to);
  }, shippedCampaignSource());
}

describe('readCampaignFile', () => {
  it('reads the shipped campaign, keeping dates as local date strings', () => {
    const result = readCampaignFile(SHIPPED_CAMPAIGN_FILE, {});
    if (!result.ok) throw new Error(result.errors.map(formatCampaignFileError).join('\n'));
    expect([result.campaign.slug, result.campaign.start, result.campaign.end]).toEqual(['natc-see-2021', '2021-10-18', '2021-11-07']);
    expect((result.raw as { start: unknown }).start).toBe('2021-10-18');
    expect(result.source).toBe(shippedCampaignSource());
  });

  it.each([
    ['inside the working folder, relative to it', join(process.cwd(), 'campaigns', 'missing.yaml'), join('campaigns', 'missing.yaml')],
    ['outside it, as given', '/nonexistent/campaign.yaml', '/nonexistent/campaign.yaml'],
  ])('reports a file it cannot read, naming a file %s', (_, path, shown) => {
    const result = readCampaignFile(path, {});
    if (result.ok) throw new Error('expected the file to be refused');
    expect(result.errors).toEqual([{ file: shown, path: '', message: expect.stringMatching(/^cannot read: ENOENT/) }]);
  });
});

describe('parseCampaignSource', () => {
  describe('malformed YAML', () => {
    it.each([
      ['a key given twice', 'slug: a\nname: x\nslug: b\n', 3, 'malformed YAML: Map keys must be unique'],
      ['a stray word after a quoted value', 'slug: a\nname: "End" impunity\n', 2, 'malformed YAML: Unexpected scalar at node end'],
      ['a tab used as indentation', 'slug: a\nmembers:\n\t- code: SI\n', 3, 'malformed YAML: Tabs are not allowed as indentation'],
    ])('refuses %s, naming the file, the line and the parser’s message', (_, source, line, message) => {
      expect(errorsOf(source)).toEqual([{ file: 'campaigns/test.yaml', line, path: '', message }]);
    });
  });

  describe('field errors carry the line of the field in the file', () => {
    it.each<[string, [string, string][], string, number]>([
      ['a bad time zone of the third member', [['timezone: Europe/Sofia', 'timezone: Europe/Atlantis']], 'members[2].timezone', 39],
      ['a bad slot time of Slovenia', [['time: "16:30"', 'time: "25:00"']], 'members[10].slots[1].time', 87],
      ['a blackout date outside the campaign', [['blackout: [2021-11-01]            # All', 'blackout: [2021-12-01]            # All']], 'members[3].blackout[0]', 47],
      ['an unknown network', [['channels: [{ network: facebook }, { network: x }, { network: instagram }]', 'channels: [{ network: facebook }, { network: myspace }]']], 'members[9].channels[1].network', 77],
      ['a theme ending before it starts', [['end: 2021-10-24', 'end: 2021-10-17']], 'themes[0].end', 14],
    ])('locates %s', (_, replacements, path, line) => {
      const errors = errorsOf(shippedWith(...replacements));
      expect(errors.find((e) => e.path === path)).toMatchObject({ file: 'campaigns/test.yaml', path, line });
    });

    it('locates an unknown field on its own line', () => {
      const errors = errorsOf(shippedWith(['  - code: SI\n', '  - code: SI\n    colour: red\n']));
      expect(errors).toEqual([
        {
          file: 'campaigns/test.yaml',
          line: 79,
          path: 'members[10].colour',
          message: 'unknown field (expected one of: code, name, timezone, locales, channels, approval, slots, blackout, facts)',
        },
      ]);
    });

    it('reports every error of the file at once', () => {
      const errors = errorsOf(shippedWith(['timezone: Europe/Sofia', 'timezone: Europe/Atlantis'], ['time: "16:30"', 'time: "25:00"']));
      expect(errors.map((e) => `${e.line} ${e.path}`)).toEqual(['39 members[2].timezone', '87 members[10].slots[1].time']);
    });

    it('refuses a webhook whose secret is unset and accepts it once the environment has it', () => {
      const source = shippedWith([
        '    locales: [sq]\n    channels: [{ network: facebook }, { network: x }]',
        '    locales: [sq]\n    channels:\n      - network: x\n        publisher: { type: webhook, url: "https://hooks.example.org/x", secretEnv: PUBLISHER_SECRET_X_HOOK }',
      ]);
      expect(errorsOf(source)).toEqual([
        { file: 'campaigns/test.yaml', line: 33, path: 'members[0].channels[0].publisher.secretEnv', message: 'environment variable PUBLISHER_SECRET_X_HOOK is not set' },
      ]);
      expect(parseCampaignSource(source, 'campaigns/test.yaml', { PUBLISHER_SECRET_X_HOOK: 's3cret' }).ok).toBe(true);
    });
  });
});

describe('formatCampaignFileError', () => {
  it('prefixes the field error with file and line', () => {
    expect(formatCampaignFileError({ file: 'campaigns/x.yaml', line: 39, path: 'members[2].timezone', message: 'bad' })).toBe(
      'campaigns/x.yaml:39: members[2].timezone: bad',
    );
  });

  it('leaves out a line it does not know', () => {
    expect(formatCampaignFileError({ file: 'campaigns/x.yaml', path: '', message: 'cannot read' })).toBe('campaigns/x.yaml: cannot read');
  });
});
