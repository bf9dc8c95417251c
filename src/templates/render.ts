import Handlebars from 'handlebars';
import { intlLocale } from './locales';

/** Posts are plain text: nothing is HTML-escaped, and a missing variable is an error, not "". */
export const COMPILE_OPTIONS = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: { plural: true, formatDate: true },
} as const;

/** Blocks that keep the root context: with these only, every variable can be checked at import. */
export const BUILT_IN_HELPERS = new Set(['if', 'unless']);
export const CUSTOM_HELPERS = new Set(Object.keys(COMPILE_OPTIONS.knownHelpers));

export interface RenderContext {
  member: string;
  date: string;
  theme: string;
  hashtags: string;
  facts: Record<string, string | number | null>;
}

export type CompiledTemplate = (context: RenderContext) => string;

/**
 * Generated code by template source, across campaigns and plans: the same options every time, so the
 * same source compiles to the same code (syntax errors throw and are not kept). A re-plan checks every
 * template again; it need not generate them again. Oldest out first.
 */
const precompiled = new Map<string, string>();

/** A fresh copy: Handlebars extends the options it is given (knownHelpers) in place. */
const compileOptions = () => ({ ...COMPILE_OPTIONS, knownHelpers: { ...COMPILE_OPTIONS.knownHelpers } });

type HelperOptions = { hash: Record<string, string> };

/**
 * One Handlebars environment per locale: `plural` and `formatDate` speak that locale, and partials
 * of that locale shadow the default locale's.
 */
export class LocaleRenderer {
  readonly hb = Handlebars.create();
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  private readonly dates: Intl.DateTimeFormat;
  /** A campaign has a few dozen dates and renders each thousands of times; ICU's format is not cheap. */
  private readonly formattedDates = new Map<string, string>();
  /** Sources checked and not yet compiled, with the code precompile() generated and the options it used. */
  private readonly checked = new Map<string, { code: string; options: object }>();

  constructor(readonly locale: string) {
    const tag = intlLocale(locale);
    this.plurals = new Intl.PluralRules(tag);
    this.numbers = new Intl.NumberFormat(tag);
    this.dates = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' });
    this.hb.registerHelper('plural', (n: unknown, options: HelperOptions) => this.plural(n, options.hash));
    this.hb.registerHelper('formatDate', (date: unknown) => this.formatDate(String(date)));
  }

  plural(n: unknown, forms: Record<string, string>): string {
    if (n === null || n === undefined || n === '') return '';
    const value = Number(n);
    const form = forms[this.plurals.select(value)] ?? forms.other ?? '#';
    return form.replace(/#/g, this.numbers.format(value));
  }

  /** A local date (`YYYY-MM-DD`) in the locale's long form: "18. oktober 2021", "18 октомври 2021 г.". */
  formatDate(date: string): string {
    let formatted = this.formattedDates.get(date);
    if (formatted === undefined) {
      const [y, m, d] = date.split('-').map(Number);
      formatted = this.dates.format(new Date(Date.UTC(y, m - 1, d)));
      this.formattedDates.set(date, formatted);
    }
    return formatted;
  }

  registerPartial(name: string, source: string): void {
    this.hb.registerPartial(name, source);
  }

  compile(source: string): CompiledTemplate {
    const checked = this.checked.get(source);
    if (checked === undefined) return this.hb.compile(source, compileOptions());
    this.checked.delete(source);
    // What hb.compile() builds on its first call, from the code check() already generated. In the
    // object form compile() uses, the spec carries its options, and the partials it calls are compiled
    // with them (strict, noEscape): a precompiled string has none, so they are put back (the runtime
    // reads them for nothing else, and compile() completes them as precompile() would).
    const spec = new Function(`return ${checked.code}`)();
    spec.compilerOptions = checked.options;
    return this.hb.template(spec) as CompiledTemplate;
  }

  /**
   * Throws with line and column for syntax errors and unknown helpers (compile() is lazy). The code
   * generated here is kept for compile() of the same source: compiling every template twice was a
   * tenth of planning a large campaign.
   */
  check(source: string): void {
    const options = compileOptions();
    let code = precompiled.get(source);
    if (code === undefined) {
      // A string unless asked for an object (options.srcName with a destName); never asked here.
      code = this.hb.precompile(source, options) as unknown as string;
      if (precompiled.size >= 5000) precompiled.delete(precompiled.keys().next().value!);
      precompiled.set(source, code);
    }
    this.checked.set(source, { code, options });
  }
}
