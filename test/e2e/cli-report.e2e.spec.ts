import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliAsync as cli } from '../support/cli';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';

// The library itself, not its index.js (see web-report.e2e.spec.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfParse = require('pdf-parse/lib/pdf-parse.js') as (data: Buffer) => Promise<{ text: string; numpages: number }>;
const pdfText = async (pdf: Buffer) => (await pdfParse(pdf)).text.replace(/\s+/g, ' ');
/** The page's "Generated <date>" line differs between two prints; everything else must not. */
const withoutGenerated = (text: string) => text.replace(/Generated .*? UTC/, 'Generated … UTC');

const CAMPAIGN = 'natc-see-2021';
const admin = bearer(ADMIN_TOKEN);

/** Issue 15 #4: one command writes the PDF the report page's button gives, and the CSV. */
describe('npm run cli -- report', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let env: Record<string, string>;
  const out = mkdtempSync(join(tmpdir(), 'cli-report-out-'));

  beforeAll(async () => {
    t = await startTestApp();
    // One Croatian post published by hand, with a snapshot of its responses, so the report has figures and a best post.
    const comms = await t.token('comms', 'HR', 'Iva Kovač');
    const [post] = (await t.http.get(`/api/campaigns/${CAMPAIGN}/posts?member=HR&network=facebook&limit=1`).set(admin).expect(200)).body.items;
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(bearer(comms)).send({ revision: post.revision }).expect(200)).body;
    const approved = (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
    t.clock.set(new Date(Date.parse(post.scheduledAt) + 60_000));
    await t.http.post(`/api/posts/${post.id}/published`).set(bearer(comms)).send({ revision: approved.revision, url: `https://facebook.com/p/${post.id}` }).expect(200);
    await t.db.manager.query(t.db.sql(`insert into post_metrics (post_id, collected_at, likes, reposts, replies, quotes, impressions, error, next_due_at)
      values (?, ?, 12, 3, 2, null, null, null, null)`), [post.id, new Date(Date.parse(post.scheduledAt) + 3_600_000).toISOString()]);
    // The service's own database; the CLI only reads it (SQLite allows readers beside the one writer).
    env = { DATABASE_PATH: t.config.databasePath, CAMPAIGNS_DIR: '/nonexistent', TEMPLATES_DIR: t.config.templatesDir };
  });
  afterAll(async () => {
    await t?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes the PDF of the report page — the same text as the page\'s PDF — and the CSV', async () => {
    const pdfPath = join(out, 'report.pdf');
    const csvPath = join(out, 'report.csv');
    const run = await cli(['report', CAMPAIGN, '--pdf', pdfPath, '--csv', csvPath], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote ${pdfPath} (PDF, `);
    const pdf = readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const words of ['report', 'The plan', '18 October 2021', 'Published of planned, per member and day', 'Responses per theme', 'The best posts of each week', 'Total']) expect(text).toContain(words);
    const button = await t.http.get(`/api/campaigns/${CAMPAIGN}/report.pdf`).set(admin).set('Accept-Language', 'en').buffer(true)
      .parse((res, done) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks))); }).expect(200);
    expect(withoutGenerated(text)).toBe(withoutGenerated(await pdfText(button.body as Buffer)));
    const csv = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '');
    expect(csv.split('\r\n')[0]).toMatch(/^member,network,locale,theme,planned,/);
    expect(csv).toMatch(/\r\nHR,facebook,hr,[a-z-]+,\d+,1,1,1,0,0,0,0,\d+,[^,]*,[^,]*,12,3,2,,,/);
  });

  it('prints in the language asked for, one member only', async () => {
    const pdfPath = join(out, 'hr-mk.pdf');
    const run = await cli(['report', CAMPAIGN, '--pdf', pdfPath, '--member', 'HR', '--lang', 'mk'], env);
    expect(run.code).toBe(0);
    const text = await pdfText(readFileSync(pdfPath));
    expect(text).toContain('извештај');
    expect(text).toMatch(/\bHR\b/);
    expect(text).not.toMatch(/\bSI\b/);
  });

  it('says so, writing nothing, for an unknown campaign, a folder that does not exist, or no file at all', async () => {
    const unknown = await cli(['report', 'no-such-campaign', '--pdf', join(out, 'x.pdf')], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no campaign "no-such-campaign"');
    expect(existsSync(join(out, 'x.pdf'))).toBe(false);
    const nowhere = await cli(['report', CAMPAIGN, '--pdf', join(out, 'missing', 'x.pdf')], env);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain(`--pdf ${join(out, 'missing', 'x.pdf')}: the folder ${join(out, 'missing')} does not exist`);
    const nothing = await cli(['report', CAMPAIGN], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('report needs --pdf <file> or --csv <file>');
  });
});
