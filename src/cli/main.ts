#!/usr/bin/env node
import { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Document, isScalar, visit } from 'yaml';
import { readCampaignFile, formatCampaignFileError } from '../campaigns/campaign-file';
import { checkPlanSize, prepareValidCampaign } from '../campaigns/campaign-plan';
import type { PlanResult } from '../campaigns/campaigns.service';
import { ROLES, Role } from '../campaigns/campaign-definition';
import { editionSlug } from '../campaigns/edition';
import type { EditionPreview } from '../campaigns/editions.service';
import { generatePosts } from '../campaigns/campaign-plan';
import { loadConfig } from '../config/config';
import { CoverageEntry, formatTemplateError } from '../templates/template-set';
import type { PlanWarning } from '../posts/plan';
import { SecretStore } from '../publishing/secrets';
import { SystemClock } from '../time/clock';
import type { HolidayBlackout } from '../campaigns/holidays';
import { progressReporter } from './progress';
import { reportCommand } from './report';

const USAGE = `Usage: npm run cli -- <command> [options]

  validate <campaign.yaml>             check the file and its templates; lists every error with file:line
  import <campaign.yaml>               import a new campaign and plan its posts
  plan <campaign.yaml> [--force]       re-plan an imported campaign from its (edited) file
  edition <slug> --start YYYY-MM-DD [--slug new-slug] [--name "…"] [--out file.yaml | --dry-run]
                                       a new edition of an imported campaign: every date moved by whole
                                       weeks (--start on the source's weekday), the same members and
                                       templates; default slug: the source's with its year replaced.
                                       --out writes the campaign file (commit it to campaigns/) instead
                                       of creating it; --dry-run only shows what it would create
  export-templates <slug> [--out dir]  writes the campaign's messages as they are now (the template files
                                       with the edits and reviews made in the browser) to
                                       <dir>/<folder>/<locale>.yaml, for version control; default dir:
                                       the templates directory (TEMPLATES_DIR, ./templates)
  report <slug> [--pdf file.pdf] [--csv file.csv] [--member SI] [--lang mk]
                                       the campaign report: the PDF the report page's button prints
                                       (Chromium, as CHROMIUM_PATH or /usr/bin/chromium) and/or its CSV
  posts <slug> [--member SI] [--network x] [--locale sl] [--status draft] [--limit 50]
  add-user --name "Ana Novak" --role coordinator|comms|secretariat [--member SI] [--email a@b.si]
                                       prints the new user's token (shown once)

The database is the service's (DATABASE_PATH or DATABASE_URL). SQLite has one writer: stop the service
before import/plan/edition/add-user on SQLite, or use the HTTP API while it runs.`;

const CLI_ACTOR = { name: 'cli', id: null };

class UsageError extends Error {}

function printCoverage(coverage: CoverageEntry[]): void {
  console.log('\nTranslations (locale: translated/messages, needing national review, missing → default locale used)');
  for (const c of coverage) {
    const missing = c.missing.length ? `  missing: ${c.missing.join(', ')}` : '';
    console.log(`  ${c.locale.padEnd(10)} ${String(c.translated).padStart(3)}/${c.messages}  review: ${String(c.needsReview).padStart(3)}${missing}`);
  }
}

function printHolidays(holidays: HolidayBlackout[]): void {
  if (holidays.length === 0) return;
  console.log('\nPublic holidays (blackout: holidays; no posts on these local dates)');
  for (const h of holidays) console.log(`  ${h.member.padEnd(3)} ${h.date}  ${h.name}${h.localName && h.localName !== h.name ? ` (${h.localName})` : ''}`);
}

function printWarnings(warnings: PlanWarning[]): void {
  if (warnings.length === 0) return;
  console.log(`\n${warnings.length} warning(s):`);
  for (const w of warnings) console.log(`  ${w.field}: ${w.message}`);
}

function printPlan(result: PlanResult): void {
  const p = result.plan;
  console.log(`${result.campaign.slug}: ${p.total} posts planned (${p.created} created, ${p.updated} updated, ${p.unchanged} unchanged, ${p.cancelled} cancelled)${p.skippedPosts ? `, ${p.skippedPosts} left as they are (being or already sent, failed or missed)` : ''}${p.skipped ? ' — nothing changed since the last plan' : ''}${result.campaign.state === 'archived' ? ' — archived: its last date has passed, its posts are read-only' : ''}`);
}

/** Parses and validates a file; prints every problem and returns null when there is any. */
function loadFile(path: string | undefined) {
  if (!path) throw new UsageError('missing the campaign file');
  const config = loadConfig();
  const read = readCampaignFile(path, new SecretStore(process.env, config.secretsFile).asEnv());
  if (!read.ok) {
    console.error(`${read.errors.length} error(s):\n  ${read.errors.map(formatCampaignFileError).join('\n  ')}`);
    return null;
  }
  // Before templates or planning: a campaign over the limit must not start generating posts.
  const size = checkPlanSize(read.campaign, config.maxPostsPerCampaign);
  if (size.error) {
    console.error(`${path}: ${size.error.message}`);
    return null;
  }
  const prepared = prepareValidCampaign(read.campaign, config.templatesDir);
  if (!prepared.ok) {
    console.error(`${prepared.templateErrors.length} template error(s):\n  ${prepared.templateErrors.map(formatTemplateError).join('\n  ')}`);
    return null;
  }
  // Again with the templates' images: Instagram channels plan posts for messages that have one.
  const withImages = checkPlanSize(read.campaign, config.maxPostsPerCampaign, prepared.prepared.hasImage);
  if (withImages.error) {
    console.error(`${path}: ${withImages.error.message}`);
    return null;
  }
  return { read, prepared: prepared.prepared };
}

async function withApp<T>(work: (app: INestApplicationContext, services: typeof import('./app')) => Promise<T>): Promise<T> {
  const services = await import('./app');
  const { NestFactory, AppModule } = services;
  // No background jobs, whatever JOBS says: the CLI never changes a post by itself (contract).
  const app = await NestFactory.createApplicationContext(AppModule.with(loadConfig(), new SystemClock(), { jobs: false }), { logger: ['error', 'warn'] });
  try {
    return await work(app, services);
  } finally {
    await app.close();
  }
}

function printEditionNotes(notes: string[]): void {
  for (const note of notes) console.log(`  ${note}`);
}

/** The campaign file of an edition: its notes as comments on top, for the secretariat to act on. */
function editionYaml(preview: EditionPreview, command: string): string {
  const header = [`${preview.campaign.slug}: an edition of ${preview.edition.source} (${command})`, ...preview.edition.notes.map((n) => `- ${n}`)];
  // YAML 1.1 rules quote what an older reader would take for a number or a date ("10:00", "2028-10-16").
  const doc = new Document(preview.campaign, { version: '1.1' });
  visit(doc, {
    Seq: (_, node) => void (node.flow = node.items.every(isScalar)),
    Map: (_, node) => void (node.flow = node.items.length <= 4 && node.items.every((pair) => isScalar(pair.value))),
  });
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

async function edition(sourceSlug: string | undefined, values: { start?: string; slug?: string; name?: string; out?: string; 'dry-run'?: boolean }): Promise<number> {
  if (!sourceSlug) throw new UsageError('missing the slug of the campaign to make an edition of');
  if (!values.start) throw new UsageError('edition needs --start YYYY-MM-DD (the first day of the new edition)');
  if (values.out && existsSync(values.out)) throw new UsageError(`--out ${values.out} exists: choose a new file`);
  const writeNothing = Boolean(values.out || values['dry-run']);
  const progress = progressReporter('planning');
  const outcome = await withApp(async (app, { CampaignsService, EditionsService }) => {
    const source = (await app.get(CampaignsService).list()).find((c) => c.slug === sourceSlug);
    const slug = values.slug ?? (source ? editionSlug(source.slug, source.start, values.start!) : undefined);
    const request = { slug, start: values.start, ...(values.name ? { name: values.name } : {}) };
    const editions = app.get(EditionsService);
    return writeNothing ? { preview: await editions.preview(sourceSlug, request) } : { created: await editions.create(sourceSlug, request, CLI_ACTOR, progress) };
  });
  if (outcome.preview) {
    const { campaign, edition: summary, prepared } = outcome.preview;
    let total = 0;
    for (const _ of generatePosts(prepared)) total++; // exactly what the import will plan
    console.log(`${campaign.slug}: ${campaign.start} – ${campaign.end}, ${total} posts to plan (an edition of ${summary.source})`);
    printEditionNotes(summary.notes);
    if (values.out) {
      writeFileSync(values.out, editionYaml(outcome.preview, `npm run cli -- edition ${sourceSlug} --start ${values.start}`), 'utf8');
      console.log(`wrote ${values.out}: nothing was created; import it with npm run cli -- import ${values.out}`);
    } else {
      console.log('dry run: nothing was created');
    }
    return 0;
  }
  const result = outcome.created!;
  printPlan(result);
  printEditionNotes(result.edition.notes);
  printWarnings(result.warnings);
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      force: { type: 'boolean' }, start: { type: 'string' }, slug: { type: 'string' }, out: { type: 'string' }, 'dry-run': { type: 'boolean' }, name: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, member: { type: 'string' },
      network: { type: 'string' }, locale: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      pdf: { type: 'string' }, csv: { type: 'string' }, lang: { type: 'string' },
    },
  });
  const [command, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'validate': {
      const loaded = loadFile(arg);
      if (!loaded) return 1;
      const { campaign, coverage } = loaded.prepared;
      console.log(`${arg}: valid — ${campaign.members.length} members, ${campaign.themes.length} themes, ${campaign.start} – ${campaign.end}`);
      printCoverage(coverage);
      printHolidays(campaign.holidays);
      printWarnings(loaded.prepared.warnings);
      return 0;
    }
    case 'import':
    case 'plan': {
      const loaded = loadFile(arg);
      if (!loaded) return 1;
      const progress = progressReporter(command === 'import' ? 'planning' : 're-planning');
      const result = await withApp((app, { CampaignsService }) => {
        const campaigns = app.get(CampaignsService);
        return command === 'import'
          ? campaigns.create(loaded.read.raw, CLI_ACTOR, progress)
          : campaigns.replan(loaded.read.campaign.slug, loaded.read.raw, CLI_ACTOR, { force: values.force, progress });
      });
      printPlan(result);
      printCoverage(result.coverage);
      printWarnings(result.warnings);
      return 0;
    }
    case 'edition':
      return edition(arg, values);
    case 'export-templates': {
      if (!arg) throw new UsageError('missing the campaign slug');
      const { folder, files } = await withApp((app, { MessagesService }) => app.get(MessagesService).exportFolder(arg));
      const dir = join(values.out ? resolve(values.out) : loadConfig().templatesDir, folder);
      mkdirSync(dir, { recursive: true });
      for (const file of files) writeFileSync(join(dir, `${file.locale}.yaml`), file.yaml, 'utf8');
      console.log(`wrote ${files.length} file(s) to ${dir}: ${files.map((f) => f.locale).join(', ')}`);
      return 0;
    }
    case 'report': {
      const problem = reportCommand.check(arg, values);
      if (problem) throw new UsageError(problem);
      for (const line of await withApp((app, services) => reportCommand.write(app, services, arg!, values))) console.log(line);
      return 0;
    }
    case 'posts': {
      if (!arg) throw new UsageError('missing the campaign slug');
      const page = await withApp((app, { PostsService }) =>
        app.get(PostsService).list({ id: 0, name: 'cli', role: 'secretariat', member: null }, arg, {
          member: values.member, network: values.network, locale: values.locale, status: values.status, limit: Number(values.limit ?? 50),
        }),
      );
      for (const p of page.items) {
        console.log(`${String(p.id).padStart(6)}  ${p.localTime}  ${p.member.padEnd(3)} ${p.network.padEnd(9)} ${p.locale.padEnd(7)} ${p.status.padEnd(9)} ${String(p.length).padStart(5)}/${p.limit}  ${p.text.split('\n')[0].slice(0, 60)}`);
      }
      console.log(`${page.items.length} post(s)${page.nextCursor ? ' (more: raise --limit or use the API cursor)' : ''}`);
      return 0;
    }
    case 'add-user': {
      if (!values.name || !values.role) throw new UsageError('add-user needs --name and --role');
      if (!ROLES.includes(values.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const user = await withApp((app, { UsersService }) => app.get(UsersService).create({ name: values.name!, role: values.role as Role, member: values.member, email: values.email }));
      console.log(`created user ${user.id} (${user.name}, ${user.role}${user.member ? ` of ${user.member}` : ''})`);
      console.log(`token (shown once, store it now): ${user.token}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error?.response?.message ?? error?.message ?? error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
