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
  /** Sent, but the network never said whether it created the post, and it could not be read back: a person checks. */
  'unconfirmed',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/**
 * The posts a re-plan may rewrite or cancel: those not yet handed to the dispatcher. It leaves alone
 * `publishing` and `published` (being or already sent), `failed` (it may have gone out after all, and
 * a person must look at its error: retry, mark published, or reopen it) and `missed` (its moment has
 * passed; reopening it is a person's decision); it reports them as skipped.
 */
export const REPLANNABLE_STATUSES: readonly PostStatus[] = ['draft', 'in_review', 'approved', 'rejected', 'cancelled'];
