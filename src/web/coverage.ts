/**
 * The overview's coverage: what became of each member's posts of a day, in the four states the
 * secretariat acts on. Cancelled posts are not planned any more and count nowhere.
 */
export const COVERAGE_STATES = ['pending', 'approved', 'published', 'missed'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

const STATE_OF: Record<string, CoverageState | undefined> = {
  draft: 'pending', in_review: 'pending', rejected: 'pending',
  approved: 'approved', publishing: 'approved',
  published: 'published',
  missed: 'missed', failed: 'missed',
  // Needs a person to look at the network, as a failure does.
  unconfirmed: 'missed',
};

/** A symbol beside each colour, so a state never reads by colour alone (WCAG 1.4.1). */
export const COVERAGE_SYMBOLS: Record<CoverageState, string> = { pending: '◷', approved: '✓', published: '●', missed: '✗' };

export type CoverageCell = Record<CoverageState, number> & { total: number; worst: CoverageState | 'none' };

export function emptyCell(): CoverageCell {
  return { pending: 0, approved: 0, published: 0, missed: 0, total: 0, worst: 'none' };
}

/** Counts one post into its cell; the cell's colour is its most urgent state (missed, then pending). */
export function countInto(cell: CoverageCell, status: string): void {
  const state = STATE_OF[status];
  if (!state) return;
  cell[state]++;
  cell.total++;
  cell.worst = cell.missed ? 'missed' : cell.pending ? 'pending' : cell.approved ? 'approved' : 'published';
}

/** Why a post was missed, as a catalogue key when the system said it, else the comment itself. */
export function missedReason(comment: string | null): { key: string } | { text: string } {
  if (!comment || comment === 'not approved by its time') return { key: 'notApproved' };
  if (comment.startsWith('due more than the grace period ago')) return { key: 'grace' };
  return { text: comment };
}
