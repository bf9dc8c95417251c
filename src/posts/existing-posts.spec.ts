import { ExistingPost, ExistingPosts, readExistingPost } from './existing-posts';

const HASH = 'ab'.repeat(32);

/** An existing post as the database hands it (EXISTING_POST_TEXT). */
const text = (id: number, key: string, fields = `1 0 0 draft ${HASH}`) => `${id} ${fields} ${key}`;
const post = (id: number, key: string): ExistingPost => readExistingPost(text(id, key));

describe('readExistingPost', () => {
  it('reads the numbers, the review flag, the status and the planned hash before the key', () => {
    expect(readExistingPost(text(12, 'SI|x|sl|2021-10-18|1', `3 2 1 approved ${HASH}`))).toEqual({
      id: 12, revision: 3, approved_steps: 2, needs_review: true, status: 'approved', planned_hash: HASH, post_key: 'SI|x|sl|2021-10-18|1', seen: false,
    });
    expect(readExistingPost(text(7, 'SI|x|sl|2021-10-18|1')).needs_review).toBe(false);
  });

  it('takes everything after the planned hash as the key, spaces included', () => {
    expect(readExistingPost(text(1, 'A B|x|sl|2021-10-18|2')).post_key).toBe('A B|x|sl|2021-10-18|2');
  });
});

describe('ExistingPosts.find', () => {
  const keys = ['SI|x|sl|2021-10-18|1', 'SI|x|sl|2021-10-18|2', 'SI|x|sl|2021-10-19|1', 'HR|x|hr|2021-10-18|1'];

  it('finds each post by its key, in the order of their ids or in any other', () => {
    // Handed over in another order than their ids (the database's), as a query without ORDER BY may.
    const posts = new ExistingPosts([post(3, keys[2]), post(1, keys[0]), post(4, keys[3]), post(2, keys[1])]);
    expect(keys.map((key) => posts.find(key)?.id)).toEqual([1, 2, 3, 4]);
    expect([...keys].reverse().map((key) => posts.find(key)?.id)).toEqual([4, 3, 2, 1]);
    expect([keys[1], keys[3], keys[0], keys[2]].map((key) => posts.find(key)?.id)).toEqual([2, 4, 1, 3]);
  });

  it('finds no post for a key the campaign does not hold, and goes on finding the others', () => {
    const posts = new ExistingPosts(keys.map((key, i) => post(i + 1, key)));
    expect(posts.find(keys[0])?.id).toBe(1);
    expect(posts.find('MK|x|mk|2021-10-18|1')).toBeUndefined();
    expect(posts.find(keys[1])?.id).toBe(2);
    expect(posts.find(keys[1])?.id).toBe(2);
    expect(posts.find(keys[2])?.id).toBe(3);
    expect(new ExistingPosts([]).find(keys[0])).toBeUndefined();
  });
});
