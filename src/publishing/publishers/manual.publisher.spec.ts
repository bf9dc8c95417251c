import type { Mail } from '../../mail/mailer';
import type { PublishRequest } from '../publisher';
import { handOverMail, ManualPublisher } from './manual.publisher';

const request: PublishRequest = {
  postId: 41, approvedRevision: 3, idempotencyKey: 'natc-post-41-r3', campaign: 'natc-see-2027',
  member: 'HR', network: 'facebook', locale: 'hr', text: 'Prvi redak\nDrugi redak', scheduledAt: '2027-10-22T08:00:00.000Z', media: [],
};

describe('handOverMail', () => {
  it('asks in the recipient’s language, with the text exactly as approved and the post’s web page', () => {
    const mail = handOverMail({ name: 'Iva', email: 'iva@hr.test', locale: 'hr' }, request, 'https://natc.example');
    expect(mail.subject).toBe('[NATC SEE] Objavite sada: HR · facebook · hr');
    expect(mail.text).toBe([
      'Poštovani/a Iva,', '',
      'Ova objava članice HR za facebook sada je na redu (2027-10-22T08:00:00.000Z). Objavite je ručno, točno kako je navedeno u nastavku, a zatim je na stranici objave označite kao objavljenu s njezinim URL-om:',
      'https://natc.example/posts/41', '', '----', 'Prvi redak\nDrugi redak', '----',
    ].join('\n'));
  });

  it('is in English for a recipient who chose no language, and never points staff at the API', () => {
    const mail = handOverMail({ name: 'Iva', email: 'iva@hr.test' }, request, 'https://natc.example');
    expect(mail.subject).toBe('[NATC SEE] Post now: HR · facebook · hr');
    expect(mail.text).toMatch(/^Dear Iva,\n\nThis facebook post of HR is due now/);
    expect(mail.text).not.toContain('/api/');
  });

  it('lists the approved images with their alt text, for the network’s upload form', () => {
    const media = [{ url: 'https://natc.example/media/ab.png', mime: 'image/png', alt: 'Plakat kampanje', width: 1200, height: 675, file: '/tmp/ab.png' }];
    const mail = handOverMail({ name: 'Iva', email: 'iva@hr.test', locale: 'hr' }, { ...request, media }, 'https://natc.example');
    expect(mail.text.endsWith('----\n\nPriložite ove slike, svaku s njezinim alternativnim tekstom:\n- https://natc.example/media/ab.png\n  Plakat kampanje')).toBe(true);
  });
});

describe('ManualPublisher', () => {
  it('mails each comms user in their own language and hands the post over', async () => {
    const sent: Mail[] = [];
    const publisher = new ManualPublisher({ send: async (m: Mail) => { sent.push(m); } } as never,
      [{ name: 'Iva', email: 'iva@hr.test', locale: 'hr' }, { name: 'Marko', email: 'marko@hr.test', locale: null }], 'https://natc.example');
    expect(await publisher.publish(request)).toEqual({ kind: 'handed-over', detail: 'mailed to 2 comms user(s)' });
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      ['iva@hr.test', '[NATC SEE] Objavite sada: HR · facebook · hr'],
      ['marko@hr.test', '[NATC SEE] Post now: HR · facebook · hr'],
    ]);
  });
});
