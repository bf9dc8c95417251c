import type { Role } from '../campaigns/campaign-definition';
import type { PostStatus } from '../posts/post-status';

export type PostAction = 'submit' | 'approve' | 'reject' | 'edit' | 'markPublished' | 'retry' | 'reopen' | 'resend';
export const POST_ACTIONS: PostAction[] = ['submit', 'approve', 'reject', 'edit', 'markPublished', 'retry', 'reopen', 'resend'];

export interface TransitionInput {
  status: PostStatus;
  /** The member's approval steps, in order (at least one). */
  steps: Role[];
  /** How many steps have approved the current text and time. */
  approvedSteps: number;
  overLimit: boolean;
  actor: { role: Role; /** the post is of the actor's own member (always true for the secretariat) */ ownMember: boolean };
  comment?: string | null;
  /** The post's campaign was imported after its last date: nothing may change it. */
  campaignArchived?: boolean;
  /** Why the post's images cannot go to review (`media[1] (image 7): has no alt text…`); none when empty. */
  mediaProblems?: string[];
  /** The text comes from a translation not nationally reviewed, and the campaign says `requireReview`. */
  unreviewedTranslation?: boolean;
}

export type TransitionResult =
  | {
      ok: true;
      status: PostStatus;
      approvedSteps: number;
      awaitingRole: Role | null;
      /** For an approval: the 1-based step it fills and that step's role. */
      step?: { number: number; role: Role };
    }
  | { ok: false; error: 'forbidden' | 'conflict' | 'invalid'; reason: string };

const EDITABLE: PostStatus[] = ['draft', 'in_review', 'approved', 'rejected', 'failed'];
/** A post staff may report as posted by hand: handed to them, failed, not yet sent, or found on the network after an unknown outcome. */
const MARKABLE_PUBLISHED: PostStatus[] = ['approved', 'publishing', 'failed', 'unconfirmed'];
/** The dead ends a person can bring back: a post that was never sent, to be planned again. */
const REOPENABLE: PostStatus[] = ['missed', 'failed'];

const forbidden = (reason: string): TransitionResult => ({ ok: false, error: 'forbidden', reason });
const conflict = (reason: string): TransitionResult => ({ ok: false, error: 'conflict', reason });

/**
 * The approval state machine, one rule per action. Pure: the caller checked the revision and
 * applies the result in one conditional update. Errors map to 403 (forbidden), 409 (conflict with
 * the post's state) and 400 (invalid input).
 */
export function transition(action: PostAction, input: TransitionInput): TransitionResult {
  const { status, steps, approvedSteps, actor } = input;
  if (!actor.ownMember && actor.role !== 'secretariat') return forbidden('this post belongs to another member');
  if (input.campaignArchived) return conflict('its campaign is archived (its last date had passed when it was imported): its posts are read-only');
  switch (action) {
    case 'edit':
      if (actor.role === 'coordinator') return forbidden('coordinators approve or reject posts; comms staff edit them');
      if (!EDITABLE.includes(status)) return conflict(`a ${status} post cannot be edited`);
      return { ok: true, status: 'draft', approvedSteps: 0, awaitingRole: null };

    case 'submit':
      if (actor.role === 'coordinator') return forbidden('comms staff or the secretariat submit posts for approval');
      if (status !== 'draft' && status !== 'rejected') return conflict(`only a draft or rejected post can be submitted; this one is ${status}`);
      if (input.overLimit) return conflict('the text is over the network\'s limit: shorten it before submitting');
      if (input.mediaProblems?.length) return conflict(input.mediaProblems.join('; '));
      if (input.unreviewedTranslation) return conflict('its text comes from a translation not yet nationally reviewed, and the campaign requires review (requireReview): a coordinator of the member reviews the message first');
      return { ok: true, status: 'in_review', approvedSteps: 0, awaitingRole: steps[0] };

    case 'approve': {
      if (status !== 'in_review') return conflict(`only a post in review can be approved; this one is ${status}`);
      const stepRole = steps[approvedSteps];
      if (actor.role !== 'secretariat' && actor.role !== stepRole) {
        return forbidden(`step ${approvedSteps + 1} of ${steps.length} awaits the ${stepRole}, not the ${actor.role}`);
      }
      const done = approvedSteps + 1;
      const last = done === steps.length;
      return {
        ok: true,
        status: last ? 'approved' : 'in_review',
        approvedSteps: done,
        awaitingRole: last ? null : steps[done],
        step: { number: done, role: stepRole },
      };
    }

    case 'reject':
      if (actor.role !== 'secretariat' && !steps.includes(actor.role)) return forbidden(`the ${actor.role} has no approval step for this member`);
      if (status !== 'in_review' && status !== 'approved') return conflict(`only a post in review or approved can be rejected; this one is ${status}`);
      if (!input.comment?.trim()) return { ok: false, error: 'invalid', reason: 'comment: a rejection needs a comment saying what to change' };
      return { ok: true, status: 'rejected', approvedSteps: 0, awaitingRole: null };

    case 'markPublished':
      if (actor.role === 'coordinator') return forbidden('comms staff or the secretariat mark posts published');
      if (!MARKABLE_PUBLISHED.includes(status)) return conflict(`only an approved, publishing, failed or unconfirmed post can be marked published; this one is ${status}`);
      return { ok: true, status: 'published', approvedSteps, awaitingRole: null };

    case 'retry':
      if (actor.role !== 'secretariat') return forbidden('only the secretariat retries a failed post');
      if (status !== 'failed') return conflict(`only a failed post can be retried; this one is ${status}`);
      return { ok: true, status: 'approved', approvedSteps, awaitingRole: null };

    // A person looked at the account and did not find the post: it goes out again (comms or secretariat).
    case 'resend':
      if (actor.role === 'coordinator') return forbidden('comms staff or the secretariat send an unconfirmed post again');
      if (status !== 'unconfirmed') return conflict(`only an unconfirmed post can be sent again; this one is ${status}`);
      return { ok: true, status: 'approved', approvedSteps, awaitingRole: null };

    case 'reopen':
      if (actor.role === 'coordinator') return forbidden('comms staff or the secretariat reopen posts');
      if (!REOPENABLE.includes(status)) return conflict(`only a missed or failed post can be reopened; this one is ${status}`);
      return { ok: true, status: 'draft', approvedSteps: 0, awaitingRole: null };
  }
}

export function parseSteps(steps: string): Role[] {
  return steps.split(',') as Role[];
}
