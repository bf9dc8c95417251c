import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath, yamlMessage } from '../common/file-errors';
import { isMap, isScalar, LineCounter, parseDocument, Scalar } from 'yaml';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { isIsoDate } from '../time/local-time';
import { pluralCategories } from './locales';
import { BUILT_IN_HELPERS, CompiledTemplate, CUSTOM_HELPERS, LocaleRenderer } from './render';
import { templateReferences, TemplateReferences } from './template-syntax';
import { readTemplateMedia, TemplateImage } from './template-media';
import { missingMessageHints, templatesHint } from './template-folders';

export type ReviewState = 'source' | 'needs-review' | 'reviewed';

export interface MessageTemplate {
  text: CompiledTemplate;
  short?: CompiledTemplate;
  /** A translation stays "needs review" until a person confirms it (`reviewedBy`). */
  needsReview: boolean;
  /** The template texts as written (file or editor), for the editor and export-templates. */
  source: { text: string; short?: string };
  /** The file's `reviewedBy`, when the text is the file's. */
  reviewedBy?: string;
  /** The text comes from the browser's editor (the database), not from the file. */
  edited: boolean;
  /** Images named in the default-locale file, with alt text per locale (empty in the other files). */
  media: TemplateImage[];
}

export interface LocaleTemplates {
  locale: string;
  file: string;
  renderer: LocaleRenderer;
  themes: Record<string, string>;
  messages: Map<string, MessageTemplate>;
}

export interface TemplateSet {
  defaultLocale: string;
  locales: Map<string, LocaleTemplates>;
  /** A content hash of every file read: the same hash means the same texts. */
  fingerprint: string;
}

export interface TemplateError {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** Set when the error is in a text edited in the database: `line` is then the line within that text. */
  edited?: { locale: string; key: string; field: 'text' | 'short' };
}

/** A national review stored in the database, bound to the texts it reviewed (textsHash). */
export interface StoredReview {
  decision: 'reviewed' | 'returned';
  hash: string;
}

/**
 * A message of one locale as changed in the browser (stored in the database over the files): its
 * text and short form (text null: the file's), and its national review.
 */
export interface MessageEdit {
  text: string | null;
  short: string | null;
  review?: StoredReview;
}

/** What a review is bound to: the text and the short form, so that any later edit voids it. */
export function textsHash(text: string, short: string | null | undefined): string {
  return createHash('sha256').update(`${text}\0${short ?? ''}`).digest('hex');
}

/**
 * A translation needs review unless a stored review of exactly these texts says `reviewed`, or (with
 * no stored decision on them) the file's own review counts.
 */
function needsReviewOf(fileSaysReviewed: boolean, source: { text: string; short?: string }, review: StoredReview | undefined): boolean {
  if (review && review.hash === textsHash(source.text, source.short)) return review.decision !== 'reviewed';
  return !fileSaysReviewed;
}

/** The edits of one template folder: locale → message key → edit. */
export type MessageEdits = ReadonlyMap<string, ReadonlyMap<string, MessageEdit>>;
export const NO_EDITS: MessageEdits = new Map();

export interface CoverageEntry {
  locale: string;
  file: string | null;
  messages: number;
  translated: number;
  needsReview: number;
  /** Translated and nationally reviewed (the default locale's messages are the source: all of them). */
  reviewed: number;
  missing: string[];
}

export function formatTemplateError(error: TemplateError): string {
  const where = error.line ? `${error.file}:${error.line}${error.column !== undefined ? `:${error.column + 1}` : ''}` : error.file;
  return where ? `${where}: ${error.message}` : error.message;
}

const TOP_KEYS = ['locale', 'review', 'themes', 'partials', 'messages'];
const MESSAGE_KEYS = ['text', 'short', 'reviewedBy', 'media'];
const REVIEW_STATES: ReviewState[] = ['source', 'needs-review', 'reviewed'];

/** The variables a message may use in this campaign: facts are those some member declares. */
export function allowedVariables(campaign: CampaignDefinition): Set<string> {
  const facts = new Set(campaign.members.flatMap((m) => Object.keys(m.facts)));
  return new Set(['member', 'date', 'theme', 'hashtags', 'facts', ...[...facts].map((f) => `facts.${f}`)]);
}

export function factKeys(campaign: CampaignDefinition): string[] {
  return [...new Set(campaign.members.flatMap((m) => Object.keys(m.facts)))].sort();
}

/** The locales a campaign renders: its default locale, then every member locale. */
export function campaignLocales(campaign: CampaignDefinition): string[] {
  return [...new Set([campaign.defaultLocale, ...campaign.members.flatMap((m) => m.locales)])];
}

export function referencedMessages(campaign: CampaignDefinition): string[] {
  return [...new Set(campaign.themes.flatMap((t) => t.messages))];
}

/**
 * Reads and compiles `templatesRoot/<campaign.templates>/<locale>.yaml` for every locale the campaign
 * uses, strictly and once: syntax errors, unknown variables, helpers or partials and incomplete plural
 * forms are reported here, with file and line, never at publish time.
 */
export function loadTemplateSet(
  templatesRoot: string,
  campaign: CampaignDefinition,
  edits: MessageEdits = NO_EDITS,
): { templates?: TemplateSet; errors: TemplateError[]; coverage: CoverageEntry[] } {
  const dir = join(templatesRoot, campaign.templates);
  const errors: TemplateError[] = [];
  const locales = new Map<string, LocaleTemplates>();
  const hashes: string[] = [];
  const allowed = allowedVariables(campaign);
  const wanted = campaignLocales(campaign);
  for (const locale of wanted) {
    const path = join(dir, `${locale}.yaml`);
    const localeEdits = edits.get(locale);
    const hasFile = existsSync(path);
    if (!hasFile && ![...(localeEdits?.values() ?? [])].some((edit) => edit.text !== null)) continue;
    // A locale translated only in the editor has no file: its edits go over an empty one.
    const source = hasFile ? readFileSync(path, 'utf8') : `locale: ${locale}\n`;
    // Without edits the hash is what it was before the editor existed: no needless re-plan after an upgrade.
    hashes.push(`${locale}:${source}`);
    if (localeEdits?.size) hashes.push(JSON.stringify([...localeEdits]));
    // Partials a translation does not define come from the default locale (read first).
    const inherited = (locales.get(campaign.defaultLocale)?.renderer.hb.partials ?? {}) as Record<string, string>;
    // Images are named once, in the default locale's file, with every locale's alt text beside them.
    const media = locale === campaign.defaultLocale ? { dir, locales: wanted } : undefined;
    const loaded = readLocaleFile(displayPath(path), source, locale, { allowed, inherited, edits: localeEdits, media }, errors);
    if (loaded) locales.set(locale, loaded);
  }
  for (const message of locales.get(campaign.defaultLocale)?.messages.values() ?? []) {
    for (const image of message.media) hashes.push(`${image.file}:${image.sha256}`);
  }
  const fallback = locales.get(campaign.defaultLocale);
  const shownDir = displayPath(dir);
  if (!existsSync(join(dir, `${campaign.defaultLocale}.yaml`)) && !locales.has(campaign.defaultLocale)) {
    errors.push(missingDefaultLocale(templatesRoot, campaign, shownDir));
  } else if (fallback) {
    checkAgainstDefault(campaign, fallback, errors, templatesRoot);
  }
  const coverage = coverageOf(campaign, locales, shownDir);
  if (errors.length > 0 || !fallback) return { errors, coverage };
  const fingerprint = createHash('sha256').update(hashes.join('\0')).digest('hex');
  return { templates: { defaultLocale: campaign.defaultLocale, locales, fingerprint }, errors, coverage };
}

/**
 * No default-locale file: most often a campaign with a new slug whose messages live in another
 * campaign's folder (an edition, a copy), so the error names the `templates` key and that folder.
 */
function missingDefaultLocale(templatesRoot: string, campaign: CampaignDefinition, shownDir: string): TemplateError {
  const messages = referencedMessages(campaign);
  const hint = templatesHint(templatesRoot, campaign.defaultLocale, messages, campaign.templates);
  const file = join(shownDir, `${campaign.defaultLocale}.yaml`);
  if (!existsSync(join(templatesRoot, campaign.templates))) {
    return { file: '', message: `no folder ${shownDir}/: ${hint ?? `no folder holds its messages either: write them in ${file}, or set \`templates\` to the folder that holds them`}` };
  }
  return { file, message: `missing: the default locale (${campaign.defaultLocale}) must have every message${hint ? `; ${hint}` : ''}` };
}

function checkAgainstDefault(campaign: CampaignDefinition, fallback: LocaleTemplates, errors: TemplateError[], templatesRoot: string): void {
  const missing = referencedMessages(campaign).filter((key) => !fallback.messages.has(key));
  const hints = missing.length > 0 ? missingMessageHints(templatesRoot, campaign.defaultLocale, missing, campaign.templates) : new Map<string, string>();
  campaign.themes.forEach((theme, i) => {
    if (!fallback.themes[theme.key]) errors.push({ file: fallback.file, message: `themes.${theme.key}: missing (themes[${i}] needs a title)` });
    theme.messages.forEach((key, j) => {
      if (!fallback.messages.has(key)) {
        errors.push({ file: fallback.file, message: `messages.${key}: missing (used by themes[${i}].messages[${j}])${hints.get(key) ?? ''}` });
      }
    });
  });
}

function coverageOf(campaign: CampaignDefinition, locales: Map<string, LocaleTemplates>, dir: string): CoverageEntry[] {
  const messages = referencedMessages(campaign);
  return campaignLocales(campaign).map((locale) => {
    const templates = locales.get(locale);
    const translated = messages.filter((m) => templates?.messages.has(m));
    const needsReview = translated.filter((m) => templates!.messages.get(m)!.needsReview).length;
    return {
      locale,
      file: templates ? templates.file : null,
      messages: messages.length,
      translated: translated.length,
      needsReview,
      reviewed: translated.length - needsReview,
      missing: messages.filter((m) => !templates?.messages.has(m)),
    };
  });
}

function readLocaleFile(
  file: string,
  source: string,
  locale: string,
  scope: { allowed: Set<string>; inherited: Record<string, string>; edits?: ReadonlyMap<string, MessageEdit>; media?: { dir: string; locales: string[] } },
  errors: TemplateError[],
): LocaleTemplates | undefined {
  const { allowed, inherited } = scope;
  const edits = scope.edits ?? new Map<string, MessageEdit>();
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) errors.push({ file, line: e.linePos?.[0].line, column: (e.linePos?.[0].col ?? 1) - 1, message: `malformed YAML: ${yamlMessage(e.message)}` });
    return undefined;
  }
  const fileErrors: TemplateError[] = [];
  const fail = (message: string, node?: unknown) => fileErrors.push({ file, line: lineOf(node, lineCounter), message });
  const root = doc.contents;
  if (!isMap(root)) {
    errors.push({ file, message: 'must be a map with locale, review, themes, partials, messages' });
    return undefined;
  }
  const data = doc.toJS() as Record<string, unknown>;
  for (const key of Object.keys(data)) if (!TOP_KEYS.includes(key)) fail(`${key}: unknown field (expected one of: ${TOP_KEYS.join(', ')})`, doc.getIn([key], true));
  if (data.locale !== locale) fail(`locale: "${String(data.locale)}" does not match the file name (${locale})`, doc.getIn(['locale'], true));
  const review = (data.review ?? 'needs-review') as ReviewState;
  if (!REVIEW_STATES.includes(review)) fail(`review: must be one of ${REVIEW_STATES.join(', ')}`, doc.getIn(['review'], true));

  const renderer = new LocaleRenderer(locale);
  const compile = (keyPath: string[], src: unknown): CompiledTemplate | undefined => {
    const node = doc.getIn(keyPath, true);
    if (typeof src !== 'string' || src.trim() === '') return void fail(`${keyPath.join('.')}: must be a non-empty text`, node);
    const problems = checkTemplate(renderer, src, allowed);
    const start = contentLine(node, lineCounter);
    for (const p of problems) fileErrors.push({ file, line: start + p.line - 1, column: p.column, message: `${keyPath.join('.')}: ${p.message}` });
    return problems.length === 0 ? renderer.compile(src) : undefined;
  };

  for (const [name, src] of Object.entries(inherited)) renderer.registerPartial(name, src);
  const partials = mapOf(data.partials, 'partials', fail, doc);
  for (const [name, src] of Object.entries(partials)) if (typeof src === 'string') renderer.registerPartial(name, src);
  for (const [name, src] of Object.entries(partials)) compile(['partials', name], src);
  const themes: Record<string, string> = {};
  for (const [key, title] of Object.entries(mapOf(data.themes, 'themes', fail, doc))) {
    if (typeof title === 'string' && title.trim()) themes[key] = title;
    else fail(`themes.${key}: must be a non-empty text`, doc.getIn(['themes', key], true));
  }
  const messages = new Map<string, MessageTemplate>();
  const fileMedia = new Map<string, TemplateImage[]>();
  for (const [key, entry] of Object.entries(mapOf(data.messages, 'messages', fail, doc))) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      fail(`messages.${key}: must be a map with text (and optionally short, reviewedBy)`, doc.getIn(['messages', key], true));
      continue;
    }
    const fields = entry as Record<string, unknown>;
    for (const f of Object.keys(fields)) if (!MESSAGE_KEYS.includes(f)) fail(`messages.${key}.${f}: unknown field (expected one of: ${MESSAGE_KEYS.join(', ')})`, doc.getIn(['messages', key, f], true));
    const text = compile(['messages', key, 'text'], fields.text);
    const short = fields.short === undefined ? undefined : compile(['messages', key, 'short'], fields.short);
    const reviewed = review !== 'needs-review' || (typeof fields.reviewedBy === 'string' && fields.reviewedBy.trim() !== '');
    // The editor changes texts only: an edited message keeps the file's images.
    const media = fields.media === undefined ? [] : readMessageMedia(key, fields.media, scope.media, fail, doc);
    fileMedia.set(key, media);
    if (text && typeof edits.get(key)?.text !== 'string') {
      const reviewedBy = typeof fields.reviewedBy === 'string' && fields.reviewedBy.trim() !== '' ? fields.reviewedBy : undefined;
      const source = { text: String(fields.text), short: fields.short === undefined ? undefined : String(fields.short) };
      messages.set(key, { text, short, needsReview: needsReviewOf(reviewed, source, edits.get(key)?.review), source, reviewedBy, edited: false, media });
    }
  }
  for (const [key, edit] of edits) {
    if (edit.text === null) continue;
    // An edited text is the same strict compile as a file's, its errors located within the text.
    const compileEdit = (field: 'text' | 'short', src: string) => {
      const problems = checkTemplate(renderer, src, allowed);
      for (const p of problems) fileErrors.push({ file: `${file} (edited in the database)`, line: p.line, column: p.column, message: `messages.${key}.${field}: ${p.message}`, edited: { locale, key, field } });
      return problems.length === 0 ? renderer.compile(src) : undefined;
    };
    const text = compileEdit('text', edit.text);
    const short = edit.short === null ? undefined : compileEdit('short', edit.short);
    // An edited translation is unreviewed until a review of this very text is stored (issue 12 #3).
    const source = { text: edit.text, short: edit.short ?? undefined };
    if (text) messages.set(key, { text, short, needsReview: needsReviewOf(review !== 'needs-review', source, edit.review), source, edited: true, media: fileMedia.get(key) ?? [] });
  }
  errors.push(...fileErrors);
  return fileErrors.length === 0 ? { locale, file, renderer, themes, messages } : undefined;
}

function readMessageMedia(
  key: string,
  value: unknown,
  scope: { dir: string; locales: string[] } | undefined,
  fail: (m: string, n?: unknown) => void,
  doc: { getIn(p: (string | number)[], k: boolean): unknown },
): TemplateImage[] {
  if (!scope) {
    fail(`messages.${key}.media: images are named in the default locale's file only, with alt text for every locale`, doc.getIn(['messages', key, 'media'], true));
    return [];
  }
  const { images, problems } = readTemplateMedia(value, scope.dir, scope.locales);
  for (const p of problems) fail(`messages.${key}.${p.path}: ${p.message}`, doc.getIn(['messages', key, ...mediaPath(p.path)], true) ?? doc.getIn(['messages', key, 'media'], true));
  return images;
}

/** `media[0].alt.sl` → ['media', 0, 'alt', 'sl'], to find the line of the node. */
function mediaPath(path: string): (string | number)[] {
  return path.split(/[.[\]]+/).filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function mapOf(value: unknown, key: string, fail: (m: string, n?: unknown) => void, doc: { getIn(p: string[], k: boolean): unknown }): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail(`${key}: must be a map`, doc.getIn([key], true));
    return {};
  }
  return value as Record<string, unknown>;
}

function lineOf(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

/** The file line of a text's first line: block scalars (`|-`) start on the line after their header. */
function contentLine(node: unknown, lines: LineCounter): number {
  const line = lineOf(node, lines) ?? 1;
  const type = isScalar(node) ? (node as Scalar).type : undefined;
  return type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED' ? line + 1 : line;
}

interface TemplateProblem {
  line: number;
  column?: number;
  message: string;
}

/** Everything wrong with one template, each with its line within the template. */
/** What each source refers to, kept across checks (a re-plan checks every template again); read only. Oldest out first. */
const references = new Map<string, Readonly<TemplateReferences>>();
function referencesOf(source: string): Readonly<TemplateReferences> {
  let refs = references.get(source);
  if (!refs) {
    refs = templateReferences(source);
    if (references.size >= 5000) references.delete(references.keys().next().value!);
    references.set(source, refs);
  }
  return refs;
}

export function checkTemplate(renderer: LocaleRenderer, source: string, allowed: Set<string>): TemplateProblem[] {
  try {
    renderer.check(source);
  } catch (e) {
    return [syntaxProblem(e)];
  }
  const refs = referencesOf(source);
  const problems: TemplateProblem[] = [];
  for (const v of refs.variables) {
    if (allowed.has(v.name)) continue;
    const hint = v.name.startsWith('facts.') ? 'no member of this campaign declares this fact; ' : '';
    problems.push({ line: v.line, column: v.column, message: `unknown variable "${v.name}" (${hint}known: ${[...allowed].join(', ')})` });
  }
  for (const p of refs.partials) {
    if (!renderer.hb.partials[p.name]) {
      problems.push({ line: p.line, column: p.column, message: `unknown partial "${p.name}"` });
    }
  }
  const categories = pluralCategories(renderer.locale);
  for (const h of refs.helpers) {
    if (!BUILT_IN_HELPERS.has(h.name) && !CUSTOM_HELPERS.has(h.name)) {
      problems.push({ line: h.line, column: h.column, message: `unknown helper "${h.name}"` });
    } else if (h.name === 'formatDate') {
      const [date] = h.params;
      if (h.params.length !== 1 || date.type !== 'StringLiteral' || !isIsoDate(date.value)) {
        problems.push({ line: h.line, column: h.column, message: 'formatDate takes one quoted date, e.g. {{formatDate "2021-10-18"}} (the post\'s own date is {{date}})' });
      }
    } else if (h.name === 'plural') {
      const missing = categories.filter((c) => !h.hashKeys.includes(c));
      const extra = h.hashKeys.filter((k) => !categories.includes(k));
      if (missing.length) problems.push({ line: h.line, column: h.column, message: `plural needs every form of ${renderer.locale} (${categories.join(', ')}): missing ${missing.join(', ')}` });
      if (extra.length) problems.push({ line: h.line, column: h.column, message: `plural: ${renderer.locale} has no form ${extra.join(', ')} (its forms: ${categories.join(', ')})` });
    }
  }
  return problems;
}

function syntaxProblem(e: unknown): TemplateProblem {
  const error = e as { message?: string; lineNumber?: number; column?: number };
  const message = String(error.message ?? e);
  const line = error.lineNumber ?? Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
  const firstLine = message.split('\n')[0].replace(/ - \d+:\d+$/, '');
  const expecting = /Expecting (.*)$/m.exec(message)?.[0];
  return { line, column: error.column, message: `Handlebars: ${firstLine}${expecting && !firstLine.includes('Expecting') ? ` (${expecting})` : ''}` };
}
