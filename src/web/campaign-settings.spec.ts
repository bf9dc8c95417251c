import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { campaignFromSettings, FormFields, inputNameOf, readSettingsFields, settingsForm } from './campaign-settings';

const shipped = () => parse(readFileSync(join(__dirname, '../../campaigns/natc-see-2021.yaml'), 'utf8'));

/** What a browser posts for the form as rendered, untouched: every filled input, every ticked box. */
function posted(model: ReturnType<typeof settingsForm>): FormFields {
  const fields: FormFields = {};
  const add = (name: string, value: string) => {
    const had = fields[name];
    fields[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  };
  const input = (i: { name: string; value: string }) => add(i.name, i.value);
  const slots = (rows: ReturnType<typeof settingsForm>['slots']) => rows.forEach((row) => {
    input(row.time);
    row.days.filter((d) => d.checked).forEach((d) => add(d.name, d.day));
  });
  [model.name, model.start, model.end].forEach(input);
  if (model.holidays) add('holidays', '1');
  model.themes.forEach((theme) => [theme.key, theme.start, theme.end, theme.messages].forEach(input));
  slots(model.slots);
  for (const member of model.members) {
    slots(member.slots);
    member.channels.forEach((c: Record<string, { name: string; value: string }>) => ['network', 'publisher', 'address', 'handle', 'secret', 'account'].forEach((k) => input(c[k])));
    member.blackout.forEach(input);
    if (member.holidays.checked) add(member.holidays.name, '1');
  }
  return fields;
}

describe('campaignFromSettings', () => {
  it('gives back the very same object (same JSON, key order included) for a form posted untouched', () => {
    const source = shipped();
    expect(JSON.stringify(campaignFromSettings(source, posted(settingsForm(source, []))))).toBe(JSON.stringify(source));
  });

  it('puts a changed slot, a new blackout date and the holidays keyword where the file has them', () => {
    const source = shipped();
    const fields = posted(settingsForm(source, []));
    const see = source.members.findIndex((m: { code: string }) => m.code === 'SEE');
    const hr = source.members.findIndex((m: { code: string }) => m.code === 'HR');
    fields[`members[${see}].slots[0].time`] = '13:00';
    fields[`members[${see}].slots[0].days`] = ['sat', 'mon'];
    fields[`members[${hr}].blackout[1]`] = '2021-10-20';
    fields[`members[${hr}].holidays`] = '1';
    const campaign = campaignFromSettings(source, fields);
    expect(campaign.members[see].slots).toEqual([{ time: '13:00', days: ['mon', 'sat'] }]);
    expect(campaign.members[hr].blackout).toEqual(['2021-11-01', '2021-10-20', 'holidays']);
    expect(campaign.members[0]).toEqual(source.members[0]);
  });

  it('drops a channel whose network is emptied, and writes a webhook publisher from the generic inputs', () => {
    const source = shipped();
    const fields = posted(settingsForm(source, []));
    fields['members[0].channels[0].network'] = '';
    fields['members[0].channels[1].publisher'] = 'webhook';
    fields['members[0].channels[1].address'] = 'https://hooks.example.org/x';
    fields['members[0].channels[1].secret'] = 'PUBLISHER_SECRET_AL_X';
    expect(campaignFromSettings(source, fields).members[0].channels).toEqual([
      { network: 'x', publisher: { type: 'webhook', url: 'https://hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_AL_X' } },
    ]);
  });

  it('keeps a channel that publishes through a connected account, its account shown and posted back as it was', () => {
    const source = shipped();
    source.members[0].channels = [{ network: 'x' }, { network: 'facebook', publisher: { type: 'facebook', account: 'al-facebook' } }];
    const form = settingsForm(source, []);
    const channel = form.members[0].channels[1] as Record<string, { value: string; options?: { value: string; selected: boolean }[] }>;
    expect(channel.publisher.options!.find((o) => o.selected)?.value).toBe('facebook');
    expect(channel.account.value).toBe('al-facebook');
    expect(JSON.stringify(campaignFromSettings(source, posted(form)))).toBe(JSON.stringify(source));
    const fields = posted(form);
    fields['members[0].channels[0].publisher'] = 'x';
    fields['members[0].channels[0].account'] = 'al-x';
    expect(campaignFromSettings(source, fields).members[0].channels[0]).toEqual({ network: 'x', publisher: { type: 'x', account: 'al-x' } });
  });

  it('adds a theme from the blank row, its messages split on spaces and commas', () => {
    const source = shipped();
    const fields = posted(settingsForm(source, []));
    Object.assign(fields, { 'themes[3].key': 'extra', 'themes[3].start': '2021-11-08', 'themes[3].end': '2021-11-09', 'themes[3].messages': 'policy-1, policy-2  policy-3' });
    expect(campaignFromSettings(source, fields).themes[3]).toEqual({ key: 'extra', start: '2021-11-08', end: '2021-11-09', messages: ['policy-1', 'policy-2', 'policy-3'] });
  });
});

describe('settingsForm', () => {
  it('gives each validation error to the input that carries it, a row’s to its row, the rest to the top', () => {
    const model = settingsForm(shipped(), [
      { field: 'themes[0].end', message: 'is before start' },
      { field: 'themes[1]', message: 'overlaps themes[0]' },
      { field: 'members[0].channels[1].publisher.url', message: 'not an http(s) URL' },
      { field: 'templates', message: 'missing: policy-9' },
    ]);
    expect(model.themes[0].end.error).toBe('is before start');
    expect(model.themes[1].errors).toEqual(['themes[1]: overlaps themes[0]']);
    expect(model.members[0].channels[1].address.error).toBe('not an http(s) URL');
    expect(model.members[0].open).toBe(true);
    expect(model.members[1].open).toBe(false);
    expect(model.otherErrors).toEqual(['templates: missing: policy-9']);
  });
});

describe('inputNameOf', () => {
  it.each([
    ['members[2].channels[0].publisher.tokenEnv', 'members[2].channels[0].secret'],
    ['members[2].channels[0].publisher.service', 'members[2].channels[0].address'],
    ['members[2].channels[0].publisher.type', 'members[2].channels[0].publisher'],
    ['slots[0].days[3]', 'slots[0].days'],
    ['themes[1].messages[0]', 'themes[1].messages'],
    ['end', 'end'],
  ])('%s → %s', (field, input) => expect(inputNameOf(field)).toBe(input));
});

describe('readSettingsFields', () => {
  it('refuses a field the form does not have, a value given twice and an over-long one, naming each', () => {
    expect(() => readSettingsFields({ _csrf: 'x', 'members[0].facts': 'y', name: ['a', 'b'], start: 'x'.repeat(501) })).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ errors: [
        { field: 'members[0].facts', message: 'unknown field' },
        { field: 'name', message: 'is given more than once' },
        { field: 'start', message: 'must be text of at most 500 characters' },
      ] }) }),
    );
  });

  it('refuses a member the campaign does not have', () => {
    expect(() => readSettingsFields({ 'members[12].slots[0].time': '10:00' }, 12)).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ errors: [{ field: 'members[12].slots[0].time', message: 'unknown field' }] }) }),
    );
    expect(readSettingsFields({ 'members[11].slots[0].time': '10:00' }, 12)).toEqual({ 'members[11].slots[0].time': '10:00' });
  });

  it('takes several ticked weekdays of one slot', () => {
    expect(readSettingsFields({ 'slots[0].days': ['mon', 'tue'], 'slots[0].time': '10:00' })).toEqual({ 'slots[0].days': ['mon', 'tue'], 'slots[0].time': '10:00' });
  });
});
