import { createHash } from 'node:crypto';
import { PlanHasher, plannedHash, textHash } from './post-planner';

const post = { localTime: '2021-10-18T10:00', theme: 'policy', message: 'week-1', approvalSteps: 'coordinator', text: 'Trafficking is a crime.' };

describe('plannedHash', () => {
  it('is what it was before templates named images for a post without images, so a re-plan keeps those posts and their approvals', () => {
    const before = createHash('sha256').update('2021-10-18T10:00\0policy\0week-1\0coordinator\0Trafficking is a crime.').digest('hex');
    expect(plannedHash(post)).toBe(before);
    expect(plannedHash({ ...post, media: [] })).toBe(before);
  });

  it('moves with an image or its alt text, like a text change', () => {
    const withImage = plannedHash({ ...post, media: [{ image: 'a'.repeat(64), alt: 'A poster' }] });
    expect(withImage).not.toBe(plannedHash(post));
    expect(plannedHash({ ...post, media: [{ image: 'a'.repeat(64), alt: 'A poster.' }] })).not.toBe(withImage);
    expect(plannedHash({ ...post, media: [{ image: 'b'.repeat(64), alt: 'A poster' }] })).not.toBe(withImage);
    expect(plannedHash({ ...post, media: [{ image: 'a'.repeat(64), alt: 'A poster' }] })).toBe(withImage);
  });
});

describe('PlanHasher', () => {
  it('gives every post of a sequence the hashes plannedHash and textHash give it, whatever repeats', () => {
    const media = [{ image: 'a'.repeat(64), alt: 'A poster' }];
    const posts = [
      post, post, { ...post }, { ...post, text: 'Other.' }, { ...post, localTime: '2021-10-18T11:00' }, { ...post, theme: 'victims' },
      { ...post, message: 'week-2' }, { ...post, approvalSteps: 'coordinator,secretariat' }, { ...post, media }, { ...post, media }, post,
      { ...post, text: '' },
    ];
    const hasher = new PlanHasher();
    expect(posts.map((p) => [hasher.planned(p), hasher.text(p.text)])).toEqual(posts.map((p) => [plannedHash(p), textHash(p.text)]));
  });
});
