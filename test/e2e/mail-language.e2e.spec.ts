import { DeadlinesService } from '../../src/approvals/deadlines.service';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';
import { startSmtpSink } from '../support/smtp-sink';

/** Issue 11 #1: the approval reminder is written in the language the recipient chose in the web interface. */
describe('e-mails in the recipient’s language', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: smtp.url } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const user = async (body: object) => (await t.http.post('/api/users').set(bearer(ADMIN_TOKEN)).send(body).expect(201)).body.token as string;

  it('sends the reminder digest in the saved language, and in English to whoever chose none', async () => {
    const comms = await user({ name: 'Elena', role: 'comms', member: 'SI' });
    const chooser = await user({ name: 'Ana Novak', role: 'coordinator', member: 'SI', email: 'ana@si.test' });
    await user({ name: 'Peter', role: 'coordinator', member: 'SI', email: 'peter@si.test' });
    // Ana picks Slovenian with the switcher of the web interface.
    const signIn = await t.http.post('/login').type('form').send({ token: chooser, next: '/approvals' }).expect(303);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await t.http.get('/approvals').set('Cookie', cookie).expect(200)).text)![1];
    await t.http.post('/language').set('Cookie', cookie).type('form').send({ _csrf: csrf, lang: 'sl', next: '/approvals' }).expect(303);

    const posts = (await t.http.get('/api/campaigns/natc-see-2021/posts?member=SI&from=2021-10-19T00:00:00Z&to=2021-10-19T12:00:00Z&limit=100').set(bearer(comms)).expect(200)).body.items;
    await t.http.post('/api/approvals/submit').set(bearer(comms)).send({ items: posts.map((p: any) => ({ id: p.id, revision: p.revision })) }).expect(200);
    const sent = await t.app.get(DeadlinesService).sendReminders(new Date('2021-10-18T12:00:00Z'));
    expect(sent.sort()).toEqual(['ana@si.test', 'peter@si.test']);

    const slovenian = smtp.mails.find((m) => m.to.includes('ana@si.test'))!;
    const count = posts.length;
    const expected = new Intl.PluralRules('sl').select(count);
    const phrase = ({ one: `${count} objava čaka`, two: `${count} objavi čakata`, few: `${count} objave čakajo`, other: `${count} objav čaka` } as Record<string, string>)[expected];
    expect(slovenian.subject).toBe(`[NATC SEE] ${phrase} na vašo odobritev`);
    expect(slovenian.text).toMatch(/^Spoštovani\/-a Ana Novak,/);
    expect(slovenian.text).toContain('v vlogi »koordinator«');
    const english = smtp.mails.find((m) => m.to.includes('peter@si.test'))!;
    expect(english.subject).toBe(`[NATC SEE] ${count} posts await your approval`);
  });
});
