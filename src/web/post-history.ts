import type { toHistoryEntry } from '../posts/post.mapper';

/** What the history page reads of an event: the API's history entry. */
export type HistoryEvent = Omit<ReturnType<typeof toHistoryEntry>, 'scheduledAt'>;

/**
 * The service's own actors, named by role in the reader's language: they are not people. Names as
 * the jobs write them (post-claims.ts: `dispatcher <owner>`; deadlines: `scheduler`; imports: `importer`).
 */
export function systemActor(actor: string): 'scheduler' | 'importer' | 'dispatcher' | null {
  if (actor === 'scheduler' || actor === 'importer') return actor;
  return /^dispatcher\b/.test(actor) ? 'dispatcher' : null;
}

/**
 * The history in words: who did what, and for an approval which step of how many and for which role
 * (matched to the post's current approvals by time and approver: an approval voided by a later
 * edit has no step any more, and says just "approved"). `when` formats an instant for the reader.
 */
export function describeHistory(
  events: HistoryEvent[],
  approvals: { step: number; role: string; by: string; at: string }[],
  steps: number,
  when: (iso: string) => string,
) {
  return events.map((event) => {
    const approval = event.action === 'approved' ? approvals.find((a) => a.at === event.at && a.by === event.actor) : undefined;
    return {
      ...event,
      // ICU select keys are words: "taken over" is asked for as taken_over.
      actionKey: event.action.replace(/ /g, '_'),
      system: systemActor(event.actor),
      when: when(event.at),
      step: approval ? { step: approval.step, steps, role: approval.role } : null,
    };
  });
}
