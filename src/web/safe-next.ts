/**
 * Where to send the browser after signing in: a path of this service only. `next` is resolved the
 * way a browser would resolve it against the service's own origin (so `/\evil.example`, a tab inside
 * `//`, or `https://evil.example` all land on another origin and are refused), and the result must not
 * start with `//` or `/\`, which a browser would again read as another host.
 */
export function safeNext(next: unknown, origin: string): string {
  if (typeof next !== 'string' || next === '' || next.length > 2000) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== new URL(origin).origin || /^\/[/\\]/.test(path)) return '/';
  return path;
}
