import type { CampaignDefinition, MemberDefinition } from '../campaigns/campaign-definition';
import { countLength, Network, NETWORK_LIMITS } from '../posts/length';
import type { CompiledTemplate, RenderContext } from './render';
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
 * The caches are keyed by the objects themselves (compiled template, member): a key built by
 * concatenation is a new string to hash on every post.
 */
export class MessageRenderer {
  private readonly hashtags: string;
  private readonly factNames: string[];
  /** The slot (member, locale, message, date) whose texts `texts` and `tags` hold. */
  private slot: MessageRequest | undefined;
  private texts = new Map<CompiledTemplate, string>();
  /** The slot's texts with the campaign's utm tags, per network. */
  private tags = new Map<CompiledTemplate, Map<Network, string>>();
  /**
   * The same text recurs in many slots (a message without the date): count it once per network. Keyed
   * by the text itself, one map per network: a key built by concatenation was a new string to hash on
   * every lookup, which cost more than most of the counts it saved.
   */
  private lengths = new Map<Network, Map<string, number>>();
  /**
   * Texts whose render never read the date, by compiled template (a locale's text or short), member
   * and theme: the same text on every date of the theme (no shipped message shows the date).
   */
  private undated = new Map<CompiledTemplate, Map<MemberDefinition, Map<string, string>>>();
  private undatedCount = 0;

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
    const text = this.renderVariant(request, templates.locale, template.text);
    let length = this.lengthOf(network, text);
    if (length > limit && template.short) {
      const short = this.renderVariant(request, templates.locale, template.short);
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

  /** `compiled`: the text or short of the message in `locale`, the locale whose templates render it. */
  private renderVariant(request: MessageRequest, locale: string, compiled: CompiledTemplate): string {
    const slot = this.slot;
    if (!slot || slot.member !== request.member || slot.locale !== request.locale || slot.message !== request.message || slot.date !== request.date) {
      this.slot = request;
      this.texts = new Map();
      this.tags = new Map();
    }
    let text = this.texts.get(compiled);
    if (text === undefined) {
      text = this.renderTemplate(request, locale, compiled);
      this.texts.set(compiled, text);
    }
    return this.tagged(text, request, compiled);
  }

  /**
   * Handlebars runs once per text: a render that did not read the date (its getter says so) would give
   * the same text on any date, as everything else it could read is in the key (the hashtags are the
   * campaign's). Rendering is a pure function of the context: the helpers only format numbers and dates.
   */
  private renderTemplate(request: MessageRequest, locale: string, compiled: CompiledTemplate): string {
    let byMember = this.undated.get(compiled);
    if (!byMember) this.undated.set(compiled, (byMember = new Map()));
    let byTheme = byMember.get(request.member);
    if (!byTheme) byMember.set(request.member, (byTheme = new Map()));
    const known = byTheme.get(request.theme);
    if (known !== undefined) return known;
    let readDate = false;
    const text = compiled(this.context(request, locale, () => (readDate = true)));
    if (!readDate) {
      if (++this.undatedCount > 20_000) {
        // Bounded memory on huge campaigns: start over.
        this.undated.clear();
        this.undatedCount = 0;
      } else {
        byTheme.set(request.theme, text);
      }
    }
    return text;
  }

  /** Links get the campaign's utm tags after Handlebars, on the plain text, per network (utm_source). */
  private tagged(text: string, request: MessageRequest, compiled: CompiledTemplate): string {
    const utm = this.campaign.utm;
    if (!utm) return text;
    let byNetwork = this.tags.get(compiled);
    if (!byNetwork) this.tags.set(compiled, (byNetwork = new Map()));
    let tagged = byNetwork.get(request.network);
    if (tagged === undefined) {
      const post = { member: request.member.code, locale: request.locale, network: request.network, theme: request.theme };
      tagged = tagLinks(text, utmParameters(utm, post));
      byNetwork.set(request.network, tagged);
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
