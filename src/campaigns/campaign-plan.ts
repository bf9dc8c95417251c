import { createHash } from 'node:crypto';
import { validateCampaign, CampaignDefinition } from './campaign-definition';
import { CoverageEntry, formatTemplateError, loadTemplateSet, MessageEdits, NO_EDITS, TemplateError, TemplateSet } from '../templates/template-set';
import { MessageRenderer } from '../templates/message-renderer';
import { ImageLookup, MessageMedia, NO_IMAGES, planPosts, PlannedPost, planWarnings, PlanWarning } from '../posts/plan';
import { countPlannedPosts, planSizeError } from '../posts/plan-size';
import type { FieldError } from '../common/object-reader';

/** A campaign checked together with its templates, ready to plan. */
export interface PreparedCampaign {
  campaign: CampaignDefinition;
  templates: TemplateSet;
  coverage: CoverageEntry[];
  /** Channels or messages the plan leaves out, and why (e.g. instagram without images). */
  warnings: PlanWarning[];
  /** Same fingerprint, same plan: the definition and every template file are unchanged. */
  fingerprint: string;
  /** Whether a message names images in its templates: Instagram channels carry only those. */
  hasImage: ImageLookup;
}

export type PrepareResult =
  | { ok: true; prepared: PreparedCampaign }
  | { ok: false; fieldErrors: FieldError[]; templateErrors: TemplateError[] };

/** `edits`: the messages of the campaign's template folder edited in the browser, applied over the files. */
export function prepareCampaign(input: unknown, templatesRoot: string, env: NodeJS.ProcessEnv, edits: MessageEdits = NO_EDITS): PrepareResult {
  const validated = validateCampaign(input, env);
  if (!validated.ok) return { ok: false, fieldErrors: validated.errors, templateErrors: [] };
  return prepareValidCampaign(validated.campaign, templatesRoot, edits);
}

export function prepareValidCampaign(campaign: CampaignDefinition, templatesRoot: string, edits: MessageEdits = NO_EDITS): PrepareResult {
  const loaded = loadTemplateSet(templatesRoot, campaign, edits);
  if (!loaded.templates) return { ok: false, fieldErrors: [], templateErrors: loaded.errors };
  const fingerprint = createHash('sha256').update(JSON.stringify(campaign)).update(loaded.templates.fingerprint).digest('hex');
  const hasImage = imageLookup(loaded.templates);
  return { ok: true, prepared: { campaign, templates: loaded.templates, coverage: loaded.coverage, warnings: planWarnings(campaign, hasImage), fingerprint, hasImage } };
}

function imageLookup(templates: TemplateSet): ImageLookup {
  const messages = templates.locales.get(templates.defaultLocale)!.messages;
  return (message) => (messages.get(message)?.media.length ?? 0) > 0;
}

/** The images of a message in a locale, by content hash, with that locale's alt text. */
function messageMedia(templates: TemplateSet): MessageMedia {
  const messages = templates.locales.get(templates.defaultLocale)!.messages;
  // By message, then locale: asked for every post, and a key built by concatenation cost more than the answer.
  const cache = new Map<string, Map<string, ReturnType<MessageMedia>>>();
  return (message, locale) => {
    let byLocale = cache.get(message);
    if (!byLocale) cache.set(message, (byLocale = new Map()));
    let media = byLocale.get(locale);
    if (!media) byLocale.set(locale, (media = (messages.get(message)?.media ?? []).map((image) => ({ image: image.sha256, alt: image.alt[locale] ?? '' }))));
    return media;
  };
}

export function prepareErrors(result: Extract<PrepareResult, { ok: false }>): { field: string; message: string }[] {
  return [
    ...result.fieldErrors.map((e) => ({ field: e.path, message: e.message })),
    ...result.templateErrors.map((e) => ({ field: 'templates', message: formatTemplateError(e) })),
  ];
}

/** The plan's size, refused over MAX_POSTS_PER_CAMPAIGN before anything is generated or written. */
export function checkPlanSize(campaign: CampaignDefinition, maxPosts: number, hasImage: ImageLookup = NO_IMAGES): { total: number; error?: { field: string; message: string } } {
  const total = countPlannedPosts(campaign, hasImage);
  return { total, error: planSizeError(total, maxPosts) };
}

export function generatePosts(prepared: PreparedCampaign): Iterable<PlannedPost> {
  return planPosts(prepared.campaign, new MessageRenderer(prepared.campaign, prepared.templates), prepared.hasImage, messageMedia(prepared.templates));
}

/** The template folder a campaign object names (`templates`, else its slug), before validation. */
export function templatesFolderOf(input: unknown): string | undefined {
  const object = (input ?? {}) as { templates?: unknown; slug?: unknown };
  const folder = object.templates ?? object.slug;
  return typeof folder === 'string' ? folder : undefined;
}
