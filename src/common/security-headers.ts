import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The pages' Content-Security-Policy: everything from our own origin, no inline script, style or
 * event handler (views keep theirs in src/web/public), never inside a frame (clickjacking).
 */
const PAGE_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI (/docs) writes inline styles; its scripts are files, so script-src stays 'self'. */
const DOCS_POLICY = { ...PAGE_POLICY, styleSrc: ["'self'", "'unsafe-inline'"] };

function headers(directives: Record<string, string[]>, https: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only where the service is reached over https; never for sibling hosts of the secretariat's domain.
    strictTransportSecurity: https ? { maxAge: 180 * 86400, includeSubDomains: false } : false,
  });
}

/** Security headers on every answer (pages, API, downloads): helmet, with a relaxed CSP on /docs only. */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  const pages = headers(PAGE_POLICY, options.https);
  const docs = headers(DOCS_POLICY, options.https);
  return (request, response, next) => (/^\/docs(\/|$)/.test(request.path) ? docs : pages)(request, response, next);
}
