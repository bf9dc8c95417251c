import type { CampaignDefinition } from '../campaigns/campaign-definition';
import type { Network } from '../posts/length';
import { MessageRenderer } from '../templates/message-renderer';
import type { TemplateSet } from '../templates/template-set';

export interface NetworkPreview {
  network: Network;
  text: string;
  length: number;
  limit: number;
  over: boolean;
  /** `short` when the text is over this network's limit and the message has a short form. */
  variant: 'text' | 'short';
}

export interface MemberPreview {
  member: string;
  memberName: string;
  /** The local date rendered: the first day of the first theme that uses the message. */
  date: string;
  networks: NetworkPreview[];
}

/**
 * The message as each member using the locale would post it (its facts, the campaign's hashtags),
 * on each of its networks, with the length the network counts against its limit.
 */
export function messagePreviews(campaign: CampaignDefinition, templates: TemplateSet, key: string, locale: string): MemberPreview[] {
  const theme = campaign.themes.find((t) => t.messages.includes(key));
  if (!theme) return [];
  const renderer = new MessageRenderer(campaign, templates);
  return campaign.members.filter((m) => m.locales.includes(locale)).map((member) => ({
    member: member.code,
    memberName: member.name[locale] ?? member.name[campaign.defaultLocale] ?? member.code,
    date: theme.start,
    networks: [...new Set(member.channels.map((c) => c.network))].map((network) => {
      const rendered = renderer.render({ member, locale, message: key, theme: theme.key, date: theme.start, network });
      return { network, text: rendered.text, length: rendered.length, limit: rendered.limit, over: rendered.length > rendered.limit, variant: rendered.variant };
    }),
  }));
}
