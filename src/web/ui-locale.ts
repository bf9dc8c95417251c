import type { Request } from 'express';
import { cookieOf } from '../common/token-attempts';
import { LANGUAGE_NAMES, translator, Translator, UiLocale, UI_LOCALES } from '../i18n/i18n';
import { chooseUiLocale } from '../i18n/negotiate';
import type { WebSession } from './sessions.service';

/** The language chosen on the sign-in page, before anyone is signed in (signed in, it is saved per user). */
export const LANGUAGE_COOKIE = 'natc_lang';
export const LANGUAGE_COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600_000 } as const;

export type WebRequest = Request & { webSession?: WebSession };

/** The page's language: the user's saved choice, else the sign-in page's cookie, else Accept-Language, else en. */
export function uiLocaleOf(request: WebRequest): UiLocale {
  return chooseUiLocale({
    saved: request.webSession?.uiLocale,
    cookie: cookieOf(request, LANGUAGE_COOKIE),
    acceptLanguage: request.headers['accept-language'],
  });
}

/** What the layout needs on every page: the language (and its switcher), the user, the CSRF token. */
export function pageChrome(request: WebRequest, session: WebSession | undefined = request.webSession, ui: UiLocale = uiLocaleOf(request)) {
  return {
    lang: ui,
    i18n: translator(ui) as Translator,
    languages: UI_LOCALES.map((code) => ({ code, name: LANGUAGE_NAMES[code], selected: code === ui })),
    // A form's answer has no address of its own to come back to: the switcher returns to the page's path.
    here: request.method === 'GET' ? request.originalUrl : request.path,
    user: session?.user ?? null,
    csrf: session?.csrfToken ?? null,
    secretariat: session?.user.role === 'secretariat',
  };
}
