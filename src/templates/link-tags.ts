import { extractUrlsWithIndices } from 'twitter-text';

const HTTP = /^https?:\/\//i;

/**
 * Adds `params` to the query of every http(s) link in a plain-text post. The links are those
 * twitter-text finds (what X counts as 23 characters), so what is tagged is what X sees as a link;
 * bare domains (`example.mk`) and other schemes stay as written. The link is edited as text, never
 * re-serialised: its host, path, existing query and fragment are kept byte for byte, and a parameter
 * the link already has (`utm_source=newsletter`) is never overridden.
 */
export function tagLinks(text: string, params: readonly (readonly [string, string])[]): string {
  if (params.length === 0 || !/https?:\/\//i.test(text)) return text;
  let tagged = '';
  let from = 0;
  for (const { url, indices } of extractUrlsWithIndices(text)) {
    if (!HTTP.test(url)) continue;
    tagged += text.slice(from, indices[0]) + tagLink(url, params);
    from = indices[1];
  }
  return tagged + text.slice(from);
}

function tagLink(url: string, params: readonly (readonly [string, string])[]): string {
  const hashAt = url.indexOf('#');
  const fragment = hashAt >= 0 ? url.slice(hashAt) : '';
  const beforeFragment = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = beforeFragment.indexOf('?');
  const base = queryAt >= 0 ? beforeFragment.slice(0, queryAt) : beforeFragment;
  const query = queryAt >= 0 ? beforeFragment.slice(queryAt + 1) : '';
  const existing = new URLSearchParams(query);
  const added = new URLSearchParams(params.filter(([key]) => !existing.has(key)) as [string, string][]).toString();
  if (added === '') return url;
  const separator = query === '' || query.endsWith('&') ? '' : '&';
  return `${base}?${query}${separator}${added}${fragment}`;
}
