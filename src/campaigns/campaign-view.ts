import type { AuthUser } from '../common/auth-user';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The campaign object as a caller may read it. The secretariat sees it as imported. Coordinators and
 * comms see no publisher settings beyond the type (URLs and secret names are the secretariat's) and
 * the facts of their own member only (another member's figures are theirs to publish first).
 */
export function campaignForViewer(source: Json, viewer: Pick<AuthUser, 'role' | 'member'>): Json {
  if (viewer.role === 'secretariat') return source;
  const members = Array.isArray(source.members) ? source.members.map((m) => memberForViewer(m, viewer.member)) : source.members;
  return { ...source, members };
}

function memberForViewer(member: unknown, own: string | null): unknown {
  if (!isObject(member)) return member;
  const { facts, channels, ...rest } = member;
  return {
    ...rest,
    ...(Array.isArray(channels) ? { channels: channels.map(channelForViewer) } : {}),
    ...(member.code === own && facts !== undefined ? { facts } : {}),
  };
}

function channelForViewer(channel: unknown): unknown {
  if (!isObject(channel)) return channel;
  const { publisher, ...rest } = channel;
  return isObject(publisher) && typeof publisher.type === 'string' ? { ...rest, publisher: { type: publisher.type } } : rest;
}
