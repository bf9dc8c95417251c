import type { ApprovalEntity } from '../approvals/approval.entity';
import type { MediaResponse } from '../media/media.service';
import { formatLocalIso } from '../time/local-time';
import type { PostEventEntity } from './post-event.entity';
import type { PostEntity } from './post.entity';

export interface PostResponse {
  id: number;
  campaign: string;
  member: string;
  network: string;
  locale: string;
  theme: string;
  message: string;
  text: string;
  length: number;
  limit: number;
  overLimit: boolean;
  timezone: string;
  localTime: string;
  scheduledAt: string;
  status: string;
  revision: number;
  approvals: { step: number; role: string; by: string; at: string }[];
  /** The member's approval steps in order, and the role the post now awaits (in review only). */
  approvalSteps: string[];
  awaitingRole: string | null;
  slotDate: string;
  slotOrdinal: number;
  variant: string;
  fallback: boolean;
  needsReview: boolean;
  /**
   * Where the text comes from (issue 12 #3): `source` (the default locale), `reviewed` or
   * `needs-review` (a translation, by its national review), `fallback` (no translation: the default
   * locale's text).
   */
  translationReview: 'source' | 'reviewed' | 'needs-review' | 'fallback';
  textHash: string;
  updatedAt: string;
  /** The publishing outcome (contract "Publishing"): null until the post is published, or fails. */
  publishedAt: string | null;
  publishedUrl: string | null;
  /** The network's own id of the published post (issue 14); null for manual posts and older rows. */
  publishedId: string | null;
  lastError: string | null;
  /** Images attached to the post (contract "Media"), in order; empty when none. */
  media: PostMediaResponse[];
}

/**
 * An image of a post. `sourceId`: the uploaded image this is a copy of, made to fit the network
 * (smaller or re-encoded); null when it is the upload itself.
 */
export interface PostMediaResponse extends MediaResponse {
  alt: string;
  sourceId: number | null;
}

/** The contract's Post, plus fields clients may use (overLimit, fallback, needsReview, slot). */
export function translationReview(post: Pick<PostEntity, 'fallback' | 'needsReview' | 'locale'>, defaultLocale: string | undefined): PostResponse['translationReview'] {
  if (post.fallback) return 'fallback';
  if (post.needsReview) return 'needs-review';
  return post.locale === defaultLocale ? 'source' : 'reviewed';
}

export function toPostResponse(post: PostEntity, campaign: string, approvals: ApprovalEntity[] = [], media: PostMediaResponse[] = [], defaultLocale?: string): PostResponse {
  return {
    id: post.id,
    campaign,
    member: post.member,
    network: post.network,
    locale: post.locale,
    theme: post.theme,
    message: post.message,
    text: post.text,
    length: post.length,
    limit: post.limit,
    overLimit: post.length > post.limit,
    timezone: post.timezone,
    localTime: formatLocalIso(new Date(post.scheduledAt), post.timezone),
    scheduledAt: post.scheduledAt,
    status: post.status,
    revision: post.revision,
    approvals: approvals.map((a) => ({ step: a.step, role: a.role, by: a.userName, at: a.at })),
    approvalSteps: post.approvalSteps.split(','),
    awaitingRole: post.awaitingRole,
    slotDate: post.slotDate,
    slotOrdinal: post.slotOrdinal,
    variant: post.variant,
    fallback: Boolean(post.fallback),
    needsReview: Boolean(post.needsReview),
    translationReview: translationReview({ fallback: Boolean(post.fallback), needsReview: Boolean(post.needsReview), locale: post.locale }, defaultLocale),
    textHash: post.textHash,
    updatedAt: post.updatedAt,
    publishedAt: post.publishedAt ?? null,
    publishedUrl: post.publishedUrl ?? null,
    publishedId: post.publishedId ?? null,
    lastError: post.lastError ?? null,
    media,
  };
}

export function toHistoryEntry(event: PostEventEntity) {
  return {
    at: event.at,
    actor: event.actor,
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    comment: event.comment,
    revision: event.revision,
    textHash: event.textHash,
    scheduledAt: event.scheduledAt,
  };
}
