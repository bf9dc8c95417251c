/**
 * Which network post a published row is, for reading its figures. Since issue 14 the publishers record
 * the network's own id (`published_id`), which is read as it is: a URL does not always carry the id
 * (Facebook's `pfbid…` permalinks never do). Rows published before that have only the URL, so the id is
 * derived from it as before.
 */
export interface PublishedPost {
  published_id: string | null;
  published_url: string | null;
}

export function networkPostId(post: PublishedPost, fromUrl: (url: string) => string | null): string | null {
  if (post.published_id) return post.published_id;
  return post.published_url ? fromUrl(post.published_url) : null;
}

/** A Bluesky post's at:// URI (`at://<did>/app.bsky.feed.post/<rkey>`, what the publisher records) as its DID and record key. */
export function blueskyAtUriRef(uri: string): { did: string; rkey: string } | null {
  const m = /^at:\/\/(did:[a-z]+:[\w.:%-]+)\/app\.bsky\.feed\.post\/([a-z2-7]{13})$/.exec(uri);
  return m ? { did: m[1], rkey: m[2] } : null;
}
