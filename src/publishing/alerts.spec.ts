import type { PostEntity } from '../posts/post.entity';
import { failureAlert } from './alerts';

const post = { id: 12, member: 'MK', network: 'x', locale: 'mk', scheduledAt: '2021-10-19T08:00:00.000Z' } as PostEntity;

describe('failureAlert', () => {
  it('tells the recipient in their language, with the network’s own error as it came', () => {
    const mail = failureAlert({ name: 'Бојан', email: 'bojan@mk.test', locale: 'mk' }, post, 'natc-see-2021', 'HTTP 422: duplicate', 'https://natc.example');
    expect(mail.subject).toBe('[NATC SEE] Објавата не успеа: MK · x · mk (2021-10-19T08:00:00.000Z)');
    expect(mail.text).toContain('Почитуван/а Бојан,');
    expect(mail.text).toContain('Објавата 12 од natc-see-2021 (MK, x, mk, закажана за 2021-10-19T08:00:00.000Z) не е објавена:\n  HTTP 422: duplicate');
  });

  it('is in English for a recipient who chose no language', () => {
    const mail = failureAlert({ name: 'Ana', email: 'ana@si.test' }, post, 'natc-see-2021', 'timeout', 'https://natc.example');
    expect(mail.subject).toBe('[NATC SEE] Post failed: MK · x · mk (2021-10-19T08:00:00.000Z)');
    expect(mail.text).toMatch(/^Dear Ana,\n\nPost 12 of natc-see-2021/);
  });

  it('links to the post’s web page, where staff retry or mark it published, not to the API', () => {
    const mail = failureAlert({ name: 'Ana', email: 'ana@si.test', locale: 'sl' }, post, 'natc-see-2021', 'timeout', 'https://natc.example');
    expect(mail.text).toMatch(/na strani objave:\nhttps:\/\/natc\.example\/posts\/12$/);
    expect(mail.text).not.toContain('/api/');
  });

  it('says an unconfirmed post may have gone out, and links to the post page where a person confirms or sends it again', () => {
    const mail = failureAlert({ name: 'Ana', email: 'ana@si.test', locale: 'sl' }, post, 'natc-see-2021', 'X: no answer within 10000 ms', 'https://natc.example', 'unconfirmed');
    expect(mail.subject).toBe('[NATC SEE] Nepotrjena objava: MK · x · mk (2021-10-19T08:00:00.000Z)');
    expect(mail.text).toContain('je bila poslana, vendar omrežje ni sporočilo, ali je bila ustvarjena:\n  X: no answer within 10000 ms');
    expect(mail.text).not.toContain('/retry');
    expect(mail.text.trimEnd().endsWith('https://natc.example/posts/12')).toBe(true);
  });
});
