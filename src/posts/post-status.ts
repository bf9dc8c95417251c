export const POST_STATUSES = [
  'draft',
  'in_review',
  'approved',
  'publishing',
  'published',
  'failed',
  'rejected',
  'missed',
  'cancelled',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** Posts a re-plan must leave alone: they are (being) sent, or their moment has passed. */
export const SETTLED_STATUSES: readonly PostStatus[] = ['publishing', 'published', 'missed'];
