import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDF_BYTES, testImage } from '../factories/images';
import { localeFileYaml, TemplateMediaEntry, writeTemplateFile } from '../factories/templates';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
type Media = { id: number; mime: string; width: number; height: number; alt: string; sourceId: number | null };
type Post = { id: number; member: string; network: string; locale: string; message: string; revision: number; status: string; approvals: unknown[]; media: Media[] };

const FOLDER = 'visuals-e2e';
const ALT = { en: 'A poster: trafficking is a crime', sl: 'Plakat: trgovina z ljudmi je kaznivo dejanje', mk: 'Постер: трговијата со луѓе е кривично дело' };

/** en.yaml names visuals/week1.png for `with-image` (with the given alt texts); `plain` has none. */
function writeTemplates(root: string, media: TemplateMediaEntry[] = [{ file: 'visuals/week1.png', alt: ALT }]): void {
  const themes = { policy: 'Policy' };
  const messages = (locale: string) => ({ 'with-image': { text: `With an image (${locale}). {{hashtags}}` }, plain: { text: `Plain (${locale}). {{hashtags}}` } });
  writeFileSync(join(root, FOLDER, 'en.yaml'), localeFileYaml({ locale: 'en', themes, messages: { ...messages('en'), 'with-image': { ...messages('en')['with-image'], media } } }));
  for (const locale of ['sl', 'mk']) writeFileSync(join(root, FOLDER, `${locale}.yaml`), localeFileYaml({ locale, review: 'reviewed', themes, messages: messages(locale) }));
}

/** Slovenia (sl) and North Macedonia (mk), 18–21 Oct 2027 at 10:00: with-image, plain, with-image, plain; on X and Instagram. */
function imageCampaign(slug: string, name = 'Images'): Record<string, unknown> {
  const channels = [{ network: 'x' }, { network: 'instagram' }];
  return {
    slug, name, start: '2027-10-18', end: '2027-10-21', defaultLocale: 'en', hashtags: ['EndImpunity'], templates: FOLDER,
    slots: [{ time: '10:00' }],
    themes: [{ key: 'policy', start: '2027-10-18', end: '2027-10-21', messages: ['with-image', 'plain'] }],
    members: [
      { code: 'SI', name: { en: 'Slovenia' }, timezone: 'Europe/Ljubljana', locales: ['sl'], channels },
      { code: 'MK', name: { en: 'North Macedonia' }, timezone: 'Europe/Skopje', locales: ['mk'], channels },
    ],
  };
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('images named in the templates, over HTTP on %s', (kind) => {
  let t: TestApp;
  let root: string;
  let png: Buffer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'templates-media-'));
    png = await testImage('png', 1000, 800);
    writeTemplateFile(root, 'visuals/week1.png', png, FOLDER);
    writeTemplates(root);
    // No shipped campaign at start: its templates are not in this folder.
    t = await startTestApp({ kind, templatesDir: root, campaignsDir: join(root, 'no-campaigns') });
  });
  afterAll(async () => {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const posts = async (slug: string): Promise<Post[]> => (await t.http.get(`/api/campaigns/${slug}/posts?limit=1000`).set(admin).expect(200)).body.items;
  const count = async (table: string) => Number((await t.db.manager.query(`select count(*) as n from ${table}`))[0].n);
  const written = async () => ({
    campaigns: await count('campaigns'), posts: await count('posts'), events: await count('post_events'), media: await count('media'), postMedia: await count('post_media'),
    files: existsSync(t.config.media.dir) ? readdirSync(t.config.media.dir).length : 0,
  });
  const approve = async (post: Post) => {
    const submitted = await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200);
    await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.body.revision }).expect(200);
  };

  it('plans the image on every post of its message, with each locale\'s alt text, and Instagram for that message only', async () => {
    const res = await t.http.post('/api/campaigns').set(admin).send(imageCampaign(`images-${kind}`)).expect(201);
    expect(res.body.warnings).toEqual([
      { field: 'members[0].channels[1]', message: 'instagram needs an image; no post planned until plain has an image' },
      { field: 'members[1].channels[1]', message: 'instagram needs an image; no post planned until plain has an image' },
    ]);
    const all = await posts(`images-${kind}`);
    // 4 days × 2 members on X, and the 2 with-image days × 2 members on Instagram.
    // (`total` counts Instagram on every slot: an upper bound, as plan-size says, for the size limit.)
    expect(res.body.plan).toMatchObject({ created: 12, total: 16 });
    expect(all).toHaveLength(12);
    expect(all.filter((p) => p.network === 'instagram').map((p) => p.message)).toEqual(Array(4).fill('with-image'));
    for (const post of all.filter((p) => p.message === 'plain')) expect(post.media).toEqual([]);
    const withImage = all.filter((p) => p.message === 'with-image');
    for (const post of withImage) expect(post.media.map((m) => m.alt)).toEqual([post.member === 'SI' ? ALT.sl : ALT.mk]);
    const onX = withImage.find((p) => p.network === 'x')!.media[0];
    expect(onX).toMatchObject({ mime: 'image/png', width: 1000, height: 800, sourceId: null });
    // Instagram takes JPEG only: the edit path's conforming copy, made from the stored original.
    expect(withImage.find((p) => p.network === 'instagram')!.media[0]).toMatchObject({ mime: 'image/jpeg', width: 1000, height: 800, sourceId: onX.id });
    expect(new Set(withImage.filter((p) => p.network === 'x').map((p) => p.media[0].id))).toEqual(new Set([onX.id]));
  });

  it('stores the same file once, whatever campaigns name it', async () => {
    const before = await written();
    await t.http.post('/api/campaigns').set(admin).send(imageCampaign(`images-again-${kind}`)).expect(201);
    const after = await written();
    expect([after.media, after.files]).toEqual([before.media, before.files]);
  });

  it.each([
    ['a missing alt text', () => writeTemplates(root, [{ file: 'visuals/week1.png', alt: { en: ALT.en, sl: ALT.sl } }]),
      /visuals-e2e\/en\.yaml:\d+: messages\.with-image\.media\[0\]\.alt\.mk: missing: describe visuals\/week1\.png in mk/],
    ['a missing file', () => writeTemplates(root, [{ file: 'visuals/week2.png', alt: ALT }]),
      /visuals-e2e\/en\.yaml:\d+: messages\.with-image\.media\[0\]\.file: visuals\/week2\.png: no such file/],
    ['a PDF renamed .png', () => { writeTemplateFile(root, 'visuals/flyer.png', PDF_BYTES, FOLDER); writeTemplates(root, [{ file: 'visuals/flyer.png', alt: ALT }]); },
      /visuals-e2e\/en\.yaml: messages\.with-image\.media\[0\]\.file: visuals\/flyer\.png is a application\/pdf file, not a PNG, JPEG, WebP or GIF image/],
    ['an alt text over a network\'s limit (the edit path\'s rules)', () => writeTemplates(root, [{ file: 'visuals/week1.png', alt: { ...ALT, sl: 'Plakat. '.repeat(130) } }]),
      /visuals-e2e\/en\.yaml: messages\.with-image\.media\[0\]: alt text of 1039 characters is over x's 1000 \(x, sl, visuals\/week1\.png\)/],
  ])('refuses %s (400 naming message, locale and file) and writes nothing', async (_, breakTemplates, message) => {
    breakTemplates();
    try {
      const before = await written();
      const res = await t.http.post('/api/campaigns').set(admin).send(imageCampaign(`broken-${kind}`)).expect(400);
      expect(res.body.errors).toContainEqual({ field: 'templates', message: expect.stringMatching(message) });
      await t.http.put(`/api/campaigns/images-${kind}`).set(admin).send(imageCampaign(`images-${kind}`, 'Renamed')).expect(400);
      expect(await written()).toEqual(before);
    } finally {
      writeTemplates(root);
    }
  });

  it('re-plans without touching posts whose image and alt did not change (approvals kept); a changed alt resets like a text', async () => {
    const slug = `replan-${kind}`;
    await t.http.post('/api/campaigns').set(admin).send(imageCampaign(slug)).expect(201);
    const find = (list: Post[], member: string) => list.find((p) => p.member === member && p.network === 'instagram')!;
    const before = await posts(slug);
    await approve(find(before, 'SI'));
    await approve(find(before, 'MK'));
    // A new name re-plans (the fingerprint moved) but leaves every post as it was.
    const same = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(imageCampaign(slug, 'Renamed')).expect(200);
    expect(same.body.plan).toMatchObject({ skipped: false, created: 0, updated: 0, unchanged: 12, approvalsKept: 2, approvalsReset: 0 });
    writeTemplates(root, [{ file: 'visuals/week1.png', alt: { ...ALT, mk: 'Нов опис на постерот' } }]);
    try {
      const preview = await t.http.post(`/api/campaigns/${slug}/replan-preview`).set(admin).send(imageCampaign(slug, 'Renamed')).expect(200);
      expect(preview.body.plan).toMatchObject({ updated: 4, unchanged: 8, approvalsReset: 1 });
      expect(preview.body.changed.map((p: Post) => p.member)).toEqual(Array(4).fill('MK'));
      const changed = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(imageCampaign(slug, 'Renamed')).expect(200);
      // The 4 Macedonian posts with the image (2 days × X, Instagram), one of them approved.
      expect(changed.body.plan).toMatchObject({ created: 0, updated: 4, unchanged: 8, approvalsKept: 1, approvalsReset: 1 });
      const after = await posts(slug);
      expect(find(after, 'SI')).toMatchObject({ status: 'approved', revision: find(before, 'SI').revision + 2, media: find(before, 'SI').media });
      expect(find(after, 'MK')).toMatchObject({ status: 'draft', approvals: [] });
      expect(find(after, 'MK').media.map((m) => [m.id, m.alt])).toEqual([[find(before, 'MK').media[0].id, 'Нов опис на постерот']]);
    } finally {
      writeTemplates(root);
    }
  });
});
