/**
 * Images (issue 13). Prints one JSON line.
 * 1. Uploading one image (`POST /api/media` over loopback HTTP: type from its bytes, metadata
 *    stripped, stored by hash) and preparing it for every network (`MediaService.conformingCopy`
 *    where a network's size or type asks for a copy), beside sharp alone producing the same outputs:
 *    the re-encoded original and one resize per copy, to the copy's final width, type and quality.
 * 2. Publishing 500 approved Mastodon posts with one image each to a loopback Mastodon, beside the
 *    same 500 posts without images: the dispatcher runs in its own process (dispatch-worker.js).
 * `node dist/bench/media.bench.js` (`… publish`: part 2 alone)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import sharp from 'sharp';
import { AppModule } from '../app.module';
import { ApprovalsService } from '../approvals/approvals.service';
import { createApp, prepareApp } from '../bootstrap';
import { CampaignsService } from '../campaigns/campaigns.service';
import { AppConfig, loadConfig } from '../config/config';
import { Database } from '../database/database';
import { MediaService } from '../media/media.service';
import { conformingTarget } from '../media/network-media-rules';
import { PostsService } from '../posts/posts.service';
import { NETWORKS } from '../posts/length';
import { FixedClock } from '../time/clock';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { dispatchAlone } from './dispatch-process';
import { startMastodonReceiver } from './mastodon-receiver';
import { approveAll, BENCH_NOW, syntheticCampaign } from './synthetic-campaign';

const ROOT = resolve(__dirname, '../..');
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const MASTODON_TOKEN = 'bench-mastodon-token';
const RUNS = 5;
const POSTS = 500;
const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function configFor(dir: string): AppConfig {
  const env = { ...process.env, DATABASE_URL: '', DATABASE_PATH: join(dir, 'bench.sqlite'), MEDIA_DIR: join(dir, 'media'), PUBLISH_GRACE_SECONDS: String(7 * 86400) };
  return { ...loadConfig(env), templatesDir: join(ROOT, 'templates'), campaignsDir: join(dir, 'none'), runJobs: false, bootstrapAdminToken: ADMIN_TOKEN, rateLimitPerMinute: 1_000_000 };
}

/** A full-HD campaign graphic as a PNG (smooth colour fields from upscaled noise): a new one each call. */
async function graphic(width = 1920, height = 1080, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const image = sharp(randomBytes(240 * 135 * 3), { raw: { width: 240, height: 135, channels: 3 } }).resize(width, height, { kernel: 'cubic' });
  return (format === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer();
}

type Copy = { network: string; mime: string; width: number; bytes: number };

/** The service's path, timed from the upload request to the last network's copy. */
async function servicePrepare(base: string, media: MediaService, db: Database, image: Buffer) {
  const start = process.hrtime.bigint();
  const form = new FormData();
  form.append('file', new Blob([image], { type: 'image/png' }), 'poster.png');
  const res = await fetch(`${base}/api/media`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: form });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /api/media: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: number };
  const original = (await media.findByIds(db.manager, [id])).get(id)!;
  const copies: Copy[] = [];
  for (const network of NETWORKS) {
    const target = conformingTarget(network, original);
    if (!target) continue;
    const copy = await media.conformingCopy(original, target);
    if (!copy) throw new Error(`no copy of the image fits ${network}`);
    copies.push({ network, mime: copy.mime, width: copy.width, bytes: copy.bytes });
  }
  return { ms: msSince(start), original: { bytes: original.bytes, width: original.width, height: original.height }, copies };
}

/** sharp alone, the same outputs: the original re-encoded, then one resize per copy straight to its final width. */
async function sharpAlone(image: Buffer, copies: Copy[]): Promise<number> {
  const start = process.hrtime.bigint();
  await sharp(image).png({ compressionLevel: 9 }).toBuffer();
  for (const copy of copies) {
    const resized = sharp(image).resize({ width: copy.width });
    await (copy.mime === 'image/jpeg' ? resized.jpeg({ quality: 82 }) : copy.mime === 'image/webp' ? resized.webp({ quality: 82 }) : resized.png({ compressionLevel: 9 })).toBuffer();
  }
  return msSince(start);
}

async function prepareBench() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));
  const config = configFor(dir);
  const app = await createApp(config, { clock: new FixedClock(BENCH_NOW), logger: false });
  await prepareApp(app, config);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const media = app.get(MediaService);
    const db = app.get(Database);
    const service: number[] = [];
    const alone: number[] = [];
    let last: Awaited<ReturnType<typeof servicePrepare>> | undefined;
    // One warm-up, then RUNS images, each new (the store keeps one file per content hash).
    for (let i = 0; i <= RUNS; i++) {
      const image = await graphic();
      last = await servicePrepare(base, media, db, image);
      const baseline = await sharpAlone(image, last.copies);
      if (i > 0) {
        service.push(last.ms);
        alone.push(baseline);
      }
    }
    return { uploadBytes: (await graphic()).length, original: last!.original, copies: last!.copies, serviceMs: median(service), sharpMs: median(alone) };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Plans 20 members' Mastodon posts; the POSTS earliest get the image (if any), then go through review. */
async function preparePosts(config: AppConfig, instance: string, image: Buffer | null): Promise<string> {
  const app = await NestFactory.createApplicationContext(AppModule.with(config, new FixedClock(new Date('2021-10-01T00:00:00Z'))), { logger: ['error'] });
  try {
    const campaign = syntheticCampaign(ROOT, 'images', 20) as { members: { channels: unknown[] }[] };
    for (const member of campaign.members) {
      member.channels = [{ network: 'mastodon', publisher: { type: 'mastodon', instance, tokenEnv: 'PUBLISHER_SECRET_BENCH_MASTODON' } }];
    }
    await app.get(CampaignsService).create(campaign, { name: 'bench', id: null });
    const db = app.get(Database);
    await app.get(UsersService).ensureBootstrapAdmin(ADMIN_TOKEN);
    const admin = { id: (await db.manager.findOneByOrFail(UserEntity, { name: 'admin' })).id, name: 'admin', role: 'secretariat' as const, member: null };
    const rows: { id: number; revision: number; scheduled_at: string }[] = await db.manager.query(`select id, revision, scheduled_at from posts where length <= max_length order by scheduled_at, id limit ${POSTS}`);
    let items = rows.map((r) => ({ id: Number(r.id), revision: Number(r.revision) }));
    if (image) {
      const { id } = await app.get(MediaService).upload(admin, { buffer: image, size: image.length });
      const posts = app.get(PostsService);
      items = [];
      for (const row of rows) {
        const edited = await posts.edit(admin, Number(row.id), { revision: Number(row.revision), media: [{ id, alt: 'A campaign poster: shop safely online, in blue and white.' }] });
        items.push({ id: edited.id, revision: edited.revision });
      }
    }
    await approveAll(app.get(ApprovalsService), admin, items);
    return rows[rows.length - 1].scheduled_at;
  } finally {
    await app.close();
  }
}

async function publishBench(withImage: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-media-publish-'));
  process.env.PUBLISHER_SECRET_BENCH_MASTODON = MASTODON_TOKEN;
  const mastodon = await startMastodonReceiver(MASTODON_TOKEN);
  try {
    const config = configFor(dir);
    const image = withImage ? await graphic(1200, 675, 'jpeg') : null;
    const lastDue = await preparePosts(config, mastodon.url, image);
    const env = {
      ...process.env, FIXED_NOW: new Date(Date.parse(lastDue) + 1000).toISOString(), START_AT: String(Date.now() + 3000),
      DATABASE_URL: '', DATABASE_PATH: config.databasePath, MEDIA_DIR: config.media.dir, PUBLISH_GRACE_SECONDS: String(7 * 86400),
    };
    const report = await dispatchAlone(env);
    const wallMs = report.last - report.first;
    return { ...mastodon.counts(), imageBytes: image?.length ?? 0, published: report.published, wallMs, postsPerSecond: report.published / (wallMs / 1000) };
  } finally {
    await mastodon.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.argv[2] === 'publish') return process.stdout.write(`${JSON.stringify({ withoutImages: await publishBench(false), withImages: await publishBench(true) })}\n`);
  const prepare = await prepareBench();
  process.stderr.write(`media: prepared for every network in ${Math.round(prepare.serviceMs)} ms (sharp alone ${Math.round(prepare.sharpMs)} ms)\n`);
  const withoutImages = await publishBench(false);
  const withImages = await publishBench(true);
  process.stdout.write(`${JSON.stringify({ prepare, withoutImages, withImages })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
