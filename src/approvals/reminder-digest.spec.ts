import { PendingForReminder, reminderDigest } from './reminder-digest';

const post = (id: number): PendingForReminder => ({
  id, campaign: 'natc-see-2021', member: 'RS', network: 'facebook', locale: 'sr-Cyrl', timezone: 'Europe/Belgrade',
  scheduledAt: '2021-10-19T08:00:00.000Z', deadline: '2021-10-18T08:00:00.000Z', text: 'Трговина људима\nдруги ред',
});
const to = (locale: string | null) => ({ name: 'Jelena', email: 'jelena@rs.test', role: 'coordinator', locale });

describe('reminderDigest', () => {
  it.each([
    [null, 1, '[NATC SEE] 1 post awaits your approval'],
    [null, 3, '[NATC SEE] 3 posts await your approval'],
    ['sr-Cyrl', 1, '[NATC SEE] 1 објава чека ваше одобрење'],
    ['sr-Cyrl', 3, '[NATC SEE] 3 објаве чекају ваше одобрење'],
    ['sr-Cyrl', 5, '[NATC SEE] 5 објава чека ваше одобрење'],
    ['sl', 2, '[NATC SEE] 2 objavi čakata na vašo odobritev'],
    ['ro', 20, '[NATC SEE] 20 de postări vă așteaptă aprobarea'],
  ])('counts the posts with the plural rules of the recipient’s language (%s, %i)', (locale, count, subject) => {
    const mail = reminderDigest(to(locale), Array.from({ length: count }, (_, i) => post(i + 1)), 'https://natc.example');
    expect(mail.subject).toBe(subject);
  });

  it('writes the deadline in the recipient’s language and the member’s zone, and keeps the post’s first line as it is', () => {
    const mail = reminderDigest(to('sr-Latn'), [post(7)], 'https://natc.example');
    expect(mail.text).toContain('Poštovani/a Jelena,');
    expect(mail.text).toContain('u ulozi „koordinator“');
    expect(mail.text).toMatch(/odobriti do 18\. 10\. 2021\.,? 10:00: https:\/\/natc\.example\/posts\/7/);
    expect(mail.text).toContain('  Трговина људима\n');
  });
});
