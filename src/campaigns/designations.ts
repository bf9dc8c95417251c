import type { MemberDefinition } from './campaign-definition';

/**
 * The designation "Kosovo*" carries the EU's standard footnote wherever the name is shown in full
 * (domain.md). Member codes (XK) carry none: the asterisk belongs to the name.
 * Translations are ours (they follow the wording of EU texts in each language) and need review.
 */
const FOOTNOTES: Record<string, string> = {
  en: '*This designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence.',
  sq: '*Ky përcaktim është pa paragjykim ndaj qëndrimeve për statusin dhe është në përputhje me RKSOKB 1244/1999 dhe Opinionin e GJND-së për shpalljen e pavarësisë së Kosovës.',
  'sr-Latn': '*Ovaj naziv ne prejudicira stavove o statusu i u skladu je sa Rezolucijom SB UN 1244/1999 i mišljenjem MSP o proglašenju nezavisnosti Kosova.',
  'sr-Cyrl': '*Овај назив не прејудицира ставове о статусу и у складу је са Резолуцијом СБ УН 1244/1999 и мишљењем МСП о проглашењу независности Косова.',
  bs: '*Ovaj naziv ne dovodi u pitanje stavove o statusu i u skladu je s Rezolucijom VS UN-a 1244/1999 i mišljenjem MSP-a o proglašenju nezavisnosti Kosova.',
  hr: '*Ovim se nazivom ne dovode u pitanje stajališta o statusu te je on u skladu s RVSUN-om 1244/1999 i mišljenjem Međunarodnog suda o proglašenju neovisnosti Kosova.',
  cnr: '*Ovaj naziv ne prejudicira stavove o statusu i u skladu je sa Rezolucijom SB UN 1244/1999 i mišljenjem MSP o proglašenju nezavisnosti Kosova.',
  mk: '*Овој назив не ги доведува во прашање ставовите за статусот и е во согласност со Резолуцијата 1244/1999 на СБ на ОН и мислењето на МСП за прогласувањето независност на Косово.',
  bg: '*Това наименование не засяга позициите относно статута и е в съответствие с Резолюция 1244/1999 на СС на ООН и становището на МС относно обявяването на независимост на Косово.',
  ro: '*Această denumire nu aduce atingere pozițiilor privind statutul și este conformă cu RCSONU 1244/1999 și cu avizul CIJ privind declarația de independență a Kosovo.',
  sl: '*Ta oznaka ne posega v stališča o statusu ter je v skladu z RVSZN 1244/1999 in mnenjem Meddržavnega sodišča o razglasitvi neodvisnosti Kosova.',
};

/** `sr-Cyrl-BA` → `sr-Cyrl-BA`, `sr-Cyrl`, `sr`: the most specific tag first. */
function fallbacks(locale: string): string[] {
  const parts = locale.split('-');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('-'));
}

/** The footnote in the locale (or its parent, e.g. sr-Cyrl for sr-Cyrl-BA), else in English. */
export function designationFootnote(locale: string): string {
  for (const tag of fallbacks(locale)) if (FOOTNOTES[tag]) return FOOTNOTES[tag];
  return FOOTNOTES.en;
}

/** A name that carries the designation asterisk ("Kosovo*", "Kosova*"). */
export function hasDesignation(name: string): boolean {
  return name.trimEnd().endsWith('*');
}

/** The member's name in the locale (or its parent), else in English, else its code. */
export function memberDisplayName(member: Pick<MemberDefinition, 'code' | 'name'>, locale: string): string {
  for (const tag of [...fallbacks(locale), 'en']) if (member.name[tag]) return member.name[tag];
  return member.code;
}

/** The footnote a list of shown names needs (at most one), in the locale: show it wherever the names are shown. */
export function designationFootnotes(names: string[], locale: string): string[] {
  return names.some(hasDesignation) ? [designationFootnote(locale)] : [];
}
