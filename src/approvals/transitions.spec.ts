import type { Role } from '../campaigns/campaign-definition';
import type { PostStatus } from '../posts/post-status';
import { PostAction, transition, TransitionInput } from './transitions';

type Expected = PostStatus | 'forbidden' | 'conflict' | 'invalid';
type Row = [PostStatus, PostAction, Role, Expected];

const STATUSES: PostStatus[] = [
  'draft',
  'in_review',
  'approved',
  'publishing',
  'published',
  'failed',
  'rejected',
  'missed',
  'cancelled',
];
const ACTIONS: PostAction[] = ['submit', 'approve', 'reject', 'edit'];
const ROLES: Role[] = ['secretariat', 'coordinator', 'comms'];
const ERRORS = ['forbidden', 'conflict', 'invalid'];

/** A post of the actor's own member, whose approval chain is the default ['coordinator']. */
function input(status: PostStatus, role: Role, over: Partial<TransitionInput> = {}): TransitionInput {
  return {
    status,
    steps: ['coordinator'],
    approvedSteps: 0,
    overLimit: false,
    actor: { role, ownMember: true },
    comment: 'fix the date',
    ...over,
  };
}

/**
 * The specification, written out by hand (contract.md "HTTP API" and "Statuses"), not derived from
 * the implementation: every status × action × role for a member whose steps are ['coordinator'].
 */
const table: Row[] = [
  // draft
  ['draft', 'submit', 'secretariat', 'in_review'],
  ['draft', 'submit', 'coordinator', 'forbidden'],
  ['draft', 'submit', 'comms', 'in_review'],
  ['draft', 'approve', 'secretariat', 'conflict'],
  ['draft', 'approve', 'coordinator', 'conflict'],
  ['draft', 'approve', 'comms', 'conflict'],
  ['draft', 'reject', 'secretariat', 'conflict'],
  ['draft', 'reject', 'coordinator', 'conflict'],
  ['draft', 'reject', 'comms', 'forbidden'],
  ['draft', 'edit', 'secretariat', 'draft'],
  ['draft', 'edit', 'coordinator', 'forbidden'],
  ['draft', 'edit', 'comms', 'draft'],
  // in_review
  ['in_review', 'submit', 'secretariat', 'conflict'],
  ['in_review', 'submit', 'coordinator', 'forbidden'],
  ['in_review', 'submit', 'comms', 'conflict'],
  ['in_review', 'approve', 'secretariat', 'approved'],
  ['in_review', 'approve', 'coordinator', 'approved'],
  ['in_review', 'approve', 'comms', 'forbidden'],
  ['in_review', 'reject', 'secretariat', 'rejected'],
  ['in_review', 'reject', 'coordinator', 'rejected'],
  ['in_review', 'reject', 'comms', 'forbidden'],
  ['in_review', 'edit', 'secretariat', 'draft'],
  ['in_review', 'edit', 'coordinator', 'forbidden'],
  ['in_review', 'edit', 'comms', 'draft'],
  // approved
  ['approved', 'submit', 'secretariat', 'conflict'],
  ['approved', 'submit', 'coordinator', 'forbidden'],
  ['approved', 'submit', 'comms', 'conflict'],
  ['approved', 'approve', 'secretariat', 'conflict'],
  ['approved', 'approve', 'coordinator', 'conflict'],
  ['approved', 'approve', 'comms', 'conflict'],
  ['approved', 'reject', 'secretariat', 'rejected'],
  ['approved', 'reject', 'coordinator', 'rejected'],
  ['approved', 'reject', 'comms', 'forbidden'],
  ['approved', 'edit', 'secretariat', 'draft'],
  ['approved', 'edit', 'coordinator', 'forbidden'],
  ['approved', 'edit', 'comms', 'draft'],
  // publishing
  ['publishing', 'submit', 'secretariat', 'conflict'],
  ['publishing', 'submit', 'coordinator', 'forbidden'],
  ['publishing', 'submit', 'comms', 'conflict'],
  ['publishing', 'approve', 'secretariat', 'conflict'],
  ['publishing', 'approve', 'coordinator', 'conflict'],
  ['publishing', 'approve', 'comms', 'conflict'],
  ['publishing', 'reject', 'secretariat', 'conflict'],
  ['publishing', 'reject', 'coordinator', 'conflict'],
  ['publishing', 'reject', 'comms', 'forbidden'],
  ['publishing', 'edit', 'secretariat', 'conflict'],
  ['publishing', 'edit', 'coordinator', 'forbidden'],
  ['publishing', 'edit', 'comms', 'conflict'],
  // published
  ['published', 'submit', 'secretariat', 'conflict'],
  ['published', 'submit', 'coordinator', 'forbidden'],
  ['published', 'submit', 'comms', 'conflict'],
  ['published', 'approve', 'secretariat', 'conflict'],
  ['published', 'approve', 'coordinator', 'conflict'],
  ['published', 'approve', 'comms', 'conflict'],
  ['published', 'reject', 'secretariat', 'conflict'],
  ['published', 'reject', 'coordinator', 'conflict'],
  ['published', 'reject', 'comms', 'forbidden'],
  ['published', 'edit', 'secretariat', 'conflict'],
  ['published', 'edit', 'coordinator', 'forbidden'],
  ['published', 'edit', 'comms', 'conflict'],
  // failed
  ['failed', 'submit', 'secretariat', 'conflict'],
  ['failed', 'submit', 'coordinator', 'forbidden'],
  ['failed', 'submit', 'comms', 'conflict'],
  ['failed', 'approve', 'secretariat', 'conflict'],
  ['failed', 'approve', 'coordinator', 'conflict'],
  ['failed', 'approve', 'comms', 'conflict'],
  ['failed', 'reject', 'secretariat', 'conflict'],
  ['failed', 'reject', 'coordinator', 'conflict'],
  ['failed', 'reject', 'comms', 'forbidden'],
  ['failed', 'edit', 'secretariat', 'draft'],
  ['failed', 'edit', 'coordinator', 'forbidden'],
  ['failed', 'edit', 'comms', 'draft'],
  // rejected
  ['rejected', 'submit', 'secretariat', 'in_review'],
  ['rejected', 'submit', 'coordinator', 'forbidden'],
  ['rejected', 'submit', 'comms', 'in_review'],
  ['rejected', 'approve', 'secretariat', 'conflict'],
  ['rejected', 'approve', 'coordinator', 'conflict'],
  ['rejected', 'approve', 'comms', 'conflict'],
  ['rejected', 'reject', 'secretariat', 'conflict'],
  ['rejected', 'reject', 'coordinator', 'conflict'],
  ['rejected', 'reject', 'comms', 'forbidden'],
  ['rejected', 'edit', 'secretariat', 'draft'],
  ['rejected', 'edit', 'coordinator', 'forbidden'],
  ['rejected', 'edit', 'comms', 'draft'],
  // missed
  ['missed', 'submit', 'secretariat', 'conflict'],
  ['missed', 'submit', 'coordinator', 'forbidden'],
  ['missed', 'submit', 'comms', 'conflict'],
  ['missed', 'approve', 'secretariat', 'conflict'],
  ['missed', 'approve', 'coordinator', 'conflict'],
  ['missed', 'approve', 'comms', 'conflict'],
  ['missed', 'reject', 'secretariat', 'conflict'],
  ['missed', 'reject', 'coordinator', 'conflict'],
  ['missed', 'reject', 'comms', 'forbidden'],
  ['missed', 'edit', 'secretariat', 'conflict'],
  ['missed', 'edit', 'coordinator', 'forbidden'],
  ['missed', 'edit', 'comms', 'conflict'],
  // cancelled
  ['cancelled', 'submit', 'secretariat', 'conflict'],
  ['cancelled', 'submit', 'coordinator', 'forbidden'],
  ['cancelled', 'submit', 'comms', 'conflict'],
  ['cancelled', 'approve', 'secretariat', 'conflict'],
  ['cancelled', 'approve', 'coordinator', 'conflict'],
  ['cancelled', 'approve', 'comms', 'conflict'],
  ['cancelled', 'reject', 'secretariat', 'conflict'],
  ['cancelled', 'reject', 'coordinator', 'conflict'],
  ['cancelled', 'reject', 'comms', 'forbidden'],
  ['cancelled', 'edit', 'secretariat', 'conflict'],
  ['cancelled', 'edit', 'coordinator', 'forbidden'],
  ['cancelled', 'edit', 'comms', 'conflict'],
];

describe('transition: every status × action × role (steps [coordinator], own member)', () => {
  it('has exactly one row for each of the 9 × 4 × 3 = 108 combinations', () => {
    expect(table).toHaveLength(108);
    const keys = new Set(table.map(([s, a, r]) => `${s}|${a}|${r}`));
    expect(keys.size).toBe(108);
    for (const s of STATUSES) for (const a of ACTIONS) for (const r of ROLES) expect(keys.has(`${s}|${a}|${r}`)).toBe(true);
  });

  it.each(table)('%s + %s by %s → %s', (status, action, role, expected) => {
    const result = transition(action, input(status, role));
    if (ERRORS.includes(expected)) {
      expect(result).toMatchObject({ ok: false, error: expected });
      if (!result.ok) expect(result.reason).toEqual(expect.any(String));
    } else {
      expect(result).toMatchObject({ ok: true, status: expected });
    }
  });
});

describe('transition: a multi-step chain [comms, coordinator, secretariat]', () => {
  const steps: Role[] = ['comms', 'coordinator', 'secretariat'];
  const inReview = (role: Role, approvedSteps: number) => input('in_review', role, { steps, approvedSteps });

  it('step 1 by comms keeps the post in review, with 1 step approved and the coordinator awaited', () => {
    expect(transition('approve', inReview('comms', 0))).toEqual({
      ok: true,
      status: 'in_review',
      approvedSteps: 1,
      awaitingRole: 'coordinator',
      step: { number: 1, role: 'comms' },
    });
  });

  it('step 2 by the coordinator keeps the post in review, with 2 steps approved and the secretariat awaited', () => {
    expect(transition('approve', inReview('coordinator', 1))).toEqual({
      ok: true,
      status: 'in_review',
      approvedSteps: 2,
      awaitingRole: 'secretariat',
      step: { number: 2, role: 'coordinator' },
    });
  });

  it('step 3 by the secretariat approves the post, awaiting no one', () => {
    expect(transition('approve', inReview('secretariat', 2))).toEqual({
      ok: true,
      status: 'approved',
      approvedSteps: 3,
      awaitingRole: null,
      step: { number: 3, role: 'secretariat' },
    });
  });

  it('does not let the coordinator take step 1, which awaits comms', () => {
    const result = transition('approve', inReview('coordinator', 0));
    expect(result).toMatchObject({ ok: false, error: 'forbidden' });
  });

  it('does not let comms take step 2, which awaits the coordinator', () => {
    expect(transition('approve', inReview('comms', 1))).toMatchObject({ ok: false, error: 'forbidden' });
  });

  it('does not let the coordinator or comms take step 3, which awaits the secretariat', () => {
    expect(transition('approve', inReview('coordinator', 2))).toMatchObject({ ok: false, error: 'forbidden' });
    expect(transition('approve', inReview('comms', 2))).toMatchObject({ ok: false, error: 'forbidden' });
  });

  it('lets the secretariat take step 1, recording the step as the comms step, not a secretariat one', () => {
    expect(transition('approve', inReview('secretariat', 0))).toEqual({
      ok: true,
      status: 'in_review',
      approvedSteps: 1,
      awaitingRole: 'coordinator',
      step: { number: 1, role: 'comms' },
    });
  });

  it('lets the secretariat take step 2, recording the step as the coordinator step', () => {
    expect(transition('approve', inReview('secretariat', 1))).toEqual({
      ok: true,
      status: 'in_review',
      approvedSteps: 2,
      awaitingRole: 'secretariat',
      step: { number: 2, role: 'coordinator' },
    });
  });

  it('lets the secretariat alone walk the whole chain to approved', () => {
    let approvedSteps = 0;
    let status: PostStatus = 'in_review';
    const recorded: Role[] = [];
    while (status === 'in_review') {
      const result = transition('approve', input(status, 'secretariat', { steps, approvedSteps }));
      if (!result.ok) throw new Error(`unexpected ${result.error}: ${result.reason}`);
      recorded.push(result.step!.role);
      approvedSteps = result.approvedSteps;
      status = result.status;
    }
    expect(status).toBe('approved');
    expect(approvedSteps).toBe(3);
    expect(recorded).toEqual(['comms', 'coordinator', 'secretariat']);
  });

  it('lets comms reject when comms is one of the member\'s steps', () => {
    expect(transition('reject', inReview('comms', 0))).toMatchObject({ ok: true, status: 'rejected' });
  });
});

describe('transition: a post of another member', () => {
  const otherMember = (status: PostStatus, role: Role) => input(status, role, { actor: { role, ownMember: false } });

  it.each([
    ['submit', 'comms', 'draft'],
    ['submit', 'coordinator', 'draft'],
    ['approve', 'coordinator', 'in_review'],
    ['approve', 'comms', 'in_review'],
    ['reject', 'coordinator', 'in_review'],
    ['reject', 'comms', 'in_review'],
    ['edit', 'comms', 'draft'],
    ['edit', 'coordinator', 'draft'],
  ] as [PostAction, Role, PostStatus][])('forbids %s by %s (from %s) and from every other status', (action, role, usual) => {
    expect(transition(action, otherMember(usual, role))).toMatchObject({ ok: false, error: 'forbidden' });
    for (const status of STATUSES) {
      expect(transition(action, otherMember(status, role))).toMatchObject({ ok: false, error: 'forbidden' });
    }
  });

  it.each([
    ['submit', 'draft', 'in_review'],
    ['approve', 'in_review', 'approved'],
    ['reject', 'in_review', 'rejected'],
    ['edit', 'approved', 'draft'],
  ] as [PostAction, PostStatus, PostStatus][])('lets the secretariat %s it (%s → %s)', (action, from, to) => {
    expect(transition(action, otherMember(from, 'secretariat'))).toMatchObject({ ok: true, status: to });
  });
});

describe('transition: refused input', () => {
  it('refuses to submit an over-limit draft with a conflict', () => {
    expect(transition('submit', input('draft', 'comms', { overLimit: true }))).toMatchObject({ ok: false, error: 'conflict' });
  });

  it('refuses to submit an over-limit rejected post, even by the secretariat', () => {
    expect(transition('submit', input('rejected', 'secretariat', { overLimit: true }))).toMatchObject({
      ok: false,
      error: 'conflict',
    });
  });

  it('refuses to submit a post whose images break a rule, naming the image (409)', () => {
    const problem = 'media[0] (image 3): has no alt text: describe the image for people who cannot see it';
    expect(transition('submit', input('draft', 'comms', { mediaProblems: [problem] }))).toEqual({ ok: false, error: 'conflict', reason: problem });
    expect(transition('submit', input('draft', 'comms', { mediaProblems: [] }))).toMatchObject({ ok: true, status: 'in_review' });
    expect(transition('edit', input('draft', 'comms', { mediaProblems: [problem] }))).toMatchObject({ ok: true, status: 'draft' });
  });

  it('refuses to submit a post from an unreviewed translation where the campaign requires review, naming the reason (issue 12 #3)', () => {
    expect(transition('submit', input('draft', 'secretariat', { unreviewedTranslation: true }))).toEqual({
      ok: false, error: 'conflict', reason: expect.stringMatching(/not yet nationally reviewed, and the campaign requires review \(requireReview\)/),
    });
    expect(transition('edit', input('draft', 'comms', { unreviewedTranslation: true }))).toMatchObject({ ok: true });
  });

  it('still lets an over-limit post be edited (to shorten it)', () => {
    expect(transition('edit', input('draft', 'comms', { overLimit: true }))).toMatchObject({ ok: true, status: 'draft' });
  });

  it('refuses a rejection whose comment is blank (\'  \') as invalid, naming the comment', () => {
    const result = transition('reject', input('in_review', 'coordinator', { comment: '  ' }));
    expect(result).toMatchObject({ ok: false, error: 'invalid' });
    if (!result.ok) expect(result.reason).toMatch(/comment/);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
  ])('refuses a rejection whose comment is %s as invalid', (_, comment) => {
    const result = transition('reject', input('approved', 'secretariat', { comment }));
    expect(result).toMatchObject({ ok: false, error: 'invalid' });
    if (!result.ok) expect(result.reason).toMatch(/comment/);
  });
});

describe('transition: approval progress', () => {
  const steps: Role[] = ['comms', 'coordinator', 'secretariat'];

  it('reject of a post in review resets approvedSteps to 0 and awaitingRole to null', () => {
    expect(transition('reject', input('in_review', 'coordinator', { steps, approvedSteps: 2 }))).toEqual({
      ok: true,
      status: 'rejected',
      approvedSteps: 0,
      awaitingRole: null,
    });
  });

  it('reject of an approved post resets approvedSteps to 0 and awaitingRole to null', () => {
    expect(transition('reject', input('approved', 'secretariat', { steps, approvedSteps: 3 }))).toEqual({
      ok: true,
      status: 'rejected',
      approvedSteps: 0,
      awaitingRole: null,
    });
  });

  it('submit sets awaitingRole to the first step of a multi-step chain, with no step approved', () => {
    expect(transition('submit', input('draft', 'comms', { steps }))).toEqual({
      ok: true,
      status: 'in_review',
      approvedSteps: 0,
      awaitingRole: 'comms',
    });
  });

  it('submit sets awaitingRole to the coordinator for the default chain', () => {
    expect(transition('submit', input('rejected', 'comms'))).toEqual({
      ok: true,
      status: 'in_review',
      approvedSteps: 0,
      awaitingRole: 'coordinator',
    });
  });

  it('edit resets approvedSteps to 0 and awaitingRole to null', () => {
    expect(transition('edit', input('in_review', 'comms', { steps, approvedSteps: 2 }))).toEqual({
      ok: true,
      status: 'draft',
      approvedSteps: 0,
      awaitingRole: null,
    });
  });
});

describe('transition: publishing actions', () => {
  // [status, action, role, expected] for a post of the actor's own member, steps ['coordinator'].
  const table: [PostStatus, PostAction, Role, string][] = [
    ['draft', 'markPublished', 'secretariat', 'conflict'], ['draft', 'markPublished', 'coordinator', 'forbidden'], ['draft', 'markPublished', 'comms', 'conflict'],
    ['in_review', 'markPublished', 'secretariat', 'conflict'], ['in_review', 'markPublished', 'coordinator', 'forbidden'], ['in_review', 'markPublished', 'comms', 'conflict'],
    ['approved', 'markPublished', 'secretariat', 'published'], ['approved', 'markPublished', 'coordinator', 'forbidden'], ['approved', 'markPublished', 'comms', 'published'],
    ['publishing', 'markPublished', 'secretariat', 'published'], ['publishing', 'markPublished', 'coordinator', 'forbidden'], ['publishing', 'markPublished', 'comms', 'published'],
    ['published', 'markPublished', 'secretariat', 'conflict'], ['published', 'markPublished', 'coordinator', 'forbidden'], ['published', 'markPublished', 'comms', 'conflict'],
    ['failed', 'markPublished', 'secretariat', 'published'], ['failed', 'markPublished', 'coordinator', 'forbidden'], ['failed', 'markPublished', 'comms', 'published'],
    ['rejected', 'markPublished', 'secretariat', 'conflict'], ['rejected', 'markPublished', 'coordinator', 'forbidden'], ['rejected', 'markPublished', 'comms', 'conflict'],
    ['missed', 'markPublished', 'secretariat', 'conflict'], ['missed', 'markPublished', 'coordinator', 'forbidden'], ['missed', 'markPublished', 'comms', 'conflict'],
    ['cancelled', 'markPublished', 'secretariat', 'conflict'], ['cancelled', 'markPublished', 'coordinator', 'forbidden'], ['cancelled', 'markPublished', 'comms', 'conflict'],
    ['draft', 'retry', 'secretariat', 'conflict'], ['draft', 'retry', 'coordinator', 'forbidden'], ['draft', 'retry', 'comms', 'forbidden'],
    ['in_review', 'retry', 'secretariat', 'conflict'], ['in_review', 'retry', 'coordinator', 'forbidden'], ['in_review', 'retry', 'comms', 'forbidden'],
    ['approved', 'retry', 'secretariat', 'conflict'], ['approved', 'retry', 'coordinator', 'forbidden'], ['approved', 'retry', 'comms', 'forbidden'],
    ['publishing', 'retry', 'secretariat', 'conflict'], ['publishing', 'retry', 'coordinator', 'forbidden'], ['publishing', 'retry', 'comms', 'forbidden'],
    ['published', 'retry', 'secretariat', 'conflict'], ['published', 'retry', 'coordinator', 'forbidden'], ['published', 'retry', 'comms', 'forbidden'],
    ['failed', 'retry', 'secretariat', 'approved'], ['failed', 'retry', 'coordinator', 'forbidden'], ['failed', 'retry', 'comms', 'forbidden'],
    ['rejected', 'retry', 'secretariat', 'conflict'], ['rejected', 'retry', 'coordinator', 'forbidden'], ['rejected', 'retry', 'comms', 'forbidden'],
    ['missed', 'retry', 'secretariat', 'conflict'], ['missed', 'retry', 'coordinator', 'forbidden'], ['missed', 'retry', 'comms', 'forbidden'],
    ['cancelled', 'retry', 'secretariat', 'conflict'], ['cancelled', 'retry', 'coordinator', 'forbidden'], ['cancelled', 'retry', 'comms', 'forbidden'],
  ];

  it.each(table)('%s + %s by %s → %s', (status, action, role, expected) => {
    const result = transition(action, { status, steps: ['coordinator'], approvedSteps: 1, overLimit: false, actor: { role, ownMember: true } });
    expect(result.ok ? result.status : result.error).toBe(expected);
  });

  it('keeps the approvals of a post marked published or retried (the approved revision stays)', () => {
    const published = transition('markPublished', { status: 'failed', steps: ['coordinator', 'secretariat'], approvedSteps: 2, overLimit: false, actor: { role: 'comms', ownMember: true } });
    expect(published).toEqual({ ok: true, status: 'published', approvedSteps: 2, awaitingRole: null });
    const retried = transition('retry', { status: 'failed', steps: ['coordinator'], approvedSteps: 1, overLimit: false, actor: { role: 'secretariat', ownMember: true } });
    expect(retried).toEqual({ ok: true, status: 'approved', approvedSteps: 1, awaitingRole: null });
  });

  it('refuses comms of another member marking a post published', () => {
    const result = transition('markPublished', { status: 'publishing', steps: ['coordinator'], approvedSteps: 1, overLimit: false, actor: { role: 'comms', ownMember: false } });
    expect(result).toMatchObject({ ok: false, error: 'forbidden' });
  });
});

describe('transition: reopen (missed and failed are not dead ends)', () => {
  const table: [PostStatus, Role, string][] = STATUSES.flatMap((status): [PostStatus, Role, string][] => {
    const reopenable = status === 'missed' || status === 'failed';
    return [
      [status, 'secretariat', reopenable ? 'draft' : 'conflict'],
      [status, 'coordinator', 'forbidden'],
      [status, 'comms', reopenable ? 'draft' : 'conflict'],
    ];
  });

  it.each(table)('%s reopened by %s → %s', (status, role, expected) => {
    const result = transition('reopen', { status, steps: ['coordinator'], approvedSteps: 1, overLimit: false, actor: { role, ownMember: true } });
    expect(result.ok ? result.status : result.error).toBe(expected);
  });

  it('voids every approval: the reopened draft starts the chain again', () => {
    const result = transition('reopen', { status: 'failed', steps: ['coordinator', 'secretariat'], approvedSteps: 2, overLimit: false, actor: { role: 'comms', ownMember: true } });
    expect(result).toEqual({ ok: true, status: 'draft', approvedSteps: 0, awaitingRole: null });
  });

  it('refuses comms of another member', () => {
    const result = transition('reopen', { status: 'missed', steps: ['coordinator'], approvedSteps: 0, overLimit: false, actor: { role: 'comms', ownMember: false } });
    expect(result).toMatchObject({ ok: false, error: 'forbidden' });
  });
});

describe('transition: a post of an archived campaign', () => {
  const actions: PostAction[] = ['submit', 'approve', 'reject', 'edit', 'markPublished', 'retry', 'reopen'];

  it.each(STATUSES.flatMap((status) => actions.map((action): [PostStatus, PostAction] => [status, action])))(
    '%s + %s by the secretariat → conflict naming the archive', (status, action) => {
      const result = transition(action, { ...input(status, 'secretariat'), approvedSteps: status === 'in_review' ? 0 : 1, campaignArchived: true });
      expect(result).toEqual({ ok: false, error: 'conflict', reason: expect.stringContaining('archived') });
    });

  it('still answers 403 first to a member who could never act on it', () => {
    const result = transition('edit', { ...input('draft', 'comms'), actor: { role: 'comms', ownMember: false }, campaignArchived: true });
    expect(result).toMatchObject({ ok: false, error: 'forbidden' });
  });
});

describe('transition: an unconfirmed post (issue 14: sent, outcome unknown, the account unreadable)', () => {
  const all: PostStatus[] = [...STATUSES, 'unconfirmed'];

  it.each(all.flatMap((status): [PostStatus, Role, string][] => [
    [status, 'secretariat', status === 'unconfirmed' ? 'approved' : 'conflict'],
    [status, 'coordinator', 'forbidden'],
    [status, 'comms', status === 'unconfirmed' ? 'approved' : 'conflict'],
  ]))('%s sent again by %s → %s', (status, role, expected) => {
    const result = transition('resend', { status, steps: ['coordinator'], approvedSteps: 1, overLimit: false, actor: { role, ownMember: true } });
    expect(result.ok ? result.status : result.error).toBe(expected);
  });

  it('keeps the approvals when sent again (the same approved revision goes out)', () => {
    expect(transition('resend', { status: 'unconfirmed', steps: ['coordinator', 'secretariat'], approvedSteps: 2, overLimit: false, actor: { role: 'comms', ownMember: true } }))
      .toEqual({ ok: true, status: 'approved', approvedSteps: 2, awaitingRole: null });
  });

  it('can be marked published by comms or the secretariat, not by a coordinator', () => {
    const mark = (role: Role) => transition('markPublished', { status: 'unconfirmed', steps: ['coordinator'], approvedSteps: 1, overLimit: false, actor: { role, ownMember: true } });
    expect(mark('comms')).toMatchObject({ ok: true, status: 'published' });
    expect(mark('secretariat')).toMatchObject({ ok: true, status: 'published' });
    expect(mark('coordinator')).toMatchObject({ ok: false, error: 'forbidden' });
  });

  it('refuses comms of another member', () => {
    expect(transition('resend', { status: 'unconfirmed', steps: ['coordinator'], approvedSteps: 1, overLimit: false, actor: { role: 'comms', ownMember: false } })).toMatchObject({ ok: false, error: 'forbidden' });
  });
});
