import type { CampaignDefinition, MemberDefinition } from '../campaigns/campaign-definition';
import { countLength, Network, NETWORK_LIMITS } from '../posts/length';
import type { RenderContext } from './render';
import { factKeys, TemplateSet } from './template-set';
import { tagLinks } from './link-tags';
import { utmParameters } from '../campaigns/utm-definition';

export interface RenderedText {
  text: string;
  length: number;
  limit: number;
  /** `short` when the long form does not fit the network and a short form exists. */
  variant: 'text' | 'short';
  /** The locale had no translation: the default locale's text was used. */
  fallback: boolean;
  needsReview: boolean;
}

export interface MessageRequest {
  member: MemberDefinition;
  locale: string;
  message: string;
  theme: string;
  date: string;
  network: Network;
}

/** Networks whose count parses the text (twitter-text's weights and links, Mastodon's links); the others count units or graphemes. */
const COSTLY_COUNTS: ReadonlySet<Network> = new Set<Network>(['x', 'mastodon']);

/**
 * Renders one message for one member, locale, date and network. Texts are shared by every channel
 * of a slot, so the last slot's renders are cached and only the length is counted per network.
 */
export class MessageRenderer {
  private readonly hashtags: string;
  private readonly factNames: string[];
  private cacheKey = '';
  private cache = new Map<string, string>();
  /**
   * The same text recurs in many slots (a message without the date): count it once per network. Keyed
   * by the text itself, one map per network: a key built by concatenation was a new string to hash on
   * every lookup, which cost more than most of the counts it saved.
   */
  private lengths = new Map<Network, Map<string, number>>();
  /**
   * Texts whose render never read the date, by member, template locale, message, theme and variant:
   * the same text on every date of the theme (no shipped message shows the date), so rendered once.
   */
  private undated = new Map<string, string>();

  constructor(
    private readonly campaign: CampaignDefinition,
    private readonly templates: TemplateSet,
  ) {
    this.hashtags = campaign.hashtags.map((t) => `#${t}`).join(' ');
    this.factNames = factKeys(campaign);
  }

  render(request: MessageRequest): RenderedText {
    const { locale, message, network } = request;
    const own = this.templates.locales.get(locale);
    const fallback = !own?.messages.has(message);
    const templates = fallback ? this.templates.locales.get(this.templates.defaultLocale)! : own!;
    const template = templates.messages.get(message);
    if (!template) throw new Error(`no template "${message}" in ${templates.file}`);
    const limit = NETWORK_LIMITS[network];
    const text = this.renderVariant(request, templates.locale, 'text');
    let length = this.lengthOf(network, text);
    if (length > limit && template.short) {
      const short = this.renderVariant(request, templates.locale, 'short');
      length = this.lengthOf(network, short);
      return { text: short, length, limit, variant: 'short', fallback, needsReview: template.needsReview };
    }
    return { text, length, limit, variant: 'text', fallback, needsReview: template.needsReview };
  }

  private lengthOf(network: Network, text: string): number {
    // Most texts are new (they carry the date): the cache pays only where counting costs more than a lookup.
    if (!COSTLY_COUNTS.has(network)) return countLength(network, text);
    let lengths = this.lengths.get(network);
    if (!lengths) this.lengths.set(network, (lengths = new Map()));
    let length = lengths.get(text);
    if (length === undefined) {
      if (lengths.size >= 20_000) lengths.clear(); // bounded memory on huge campaigns
      length = countLength(network, text);
      lengths.set(text, length);
    }
    return length;
  }

  private renderVariant(request: MessageRequest, locale: string, variant: 'text' | 'short'): string {
    const slot = `${request.member.code}\0${request.locale}\0${request.message}\0${request.date}`;
    if (slot !== this.cacheKey) {
      this.cacheKey = slot;
      this.cache = new Map();
    }
    const key = `${locale}\0${variant}`;
    let text = this.cache.get(key);
    if (text === undefined) {
      text = this.renderTemplate(request, locale, variant);
      this.cache.set(key, text);
    }
    return this.tagged(text, request, key);
  }

  /**
   * Handlebars runs once per text: a render that did not read the date (its getter says so) would give
   * the same text on any date, as everything else it could read is in the key. Rendering is a pure
   * function of the context: the helpers only format numbers and dates.
   */
  private renderTemplate(request: MessageRequest, locale: string, variant: 'text' | 'short'): string {
    const key = `${request.member.code}\0${locale}\0${request.message}\0${request.theme}\0${variant}`;
    const known = this.undated.get(key);
    if (known !== undefined) return known;
    const template = this.templates.locales.get(locale)!.messages.get(request.message)!;
    let readDate = false;
    const text = template[variant]!(this.context(request, locale, () => (readDate = true)));
    if (!readDate) {
      if (this.undated.size >= 20_000) this.undated.clear(); // bounded memory on huge campaigns
      this.undated.set(key, text);
    }
    return text;
  }

  /** Links get the campaign's utm tags after Handlebars, on the plain text, per network (utm_source). */
  private tagged(text: string, request: MessageRequest, key: string): string {
    const utm = this.campaign.utm;
    if (!utm) return text;
    const taggedKey = `${key}\0${request.network}\0tagged`;
    let tagged = this.cache.get(taggedKey);
    if (tagged === undefined) {
      const post = { member: request.member.code, locale: request.locale, network: request.network, theme: request.theme };
      tagged = tagLinks(text, utmParameters(utm, post));
      this.cache.set(taggedKey, tagged);
    }
    return tagged;
  }

  /** `onDateRead`: called whenever the template reads `date` (a getter, so that it is also formatted only then). */
  context(request: MessageRequest, locale: string, onDateRead: () => void = () => undefined): RenderContext {
    const templates = this.templates.locales.get(locale)!;
    const fallbackThemes = this.templates.locales.get(this.templates.defaultLocale)!.themes;
    const facts: RenderContext['facts'] = {};
    // Strict mode fails on an absent key but renders null as empty: every known fact is present.
    for (const name of this.factNames) facts[name] = request.member.facts[name] ?? null;
    return {
      member: request.member.name[locale] ?? request.member.name[this.campaign.defaultLocale],
      get date() {
        onDateRead();
        return templates.renderer.formatDate(request.date);
      },
      theme: templates.themes[request.theme] ?? fallbackThemes[request.theme],
      hashtags: this.hashtags,
      facts,
    };
  }
}
