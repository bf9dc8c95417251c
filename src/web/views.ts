import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Translator } from '../i18n/i18n';

/** The same folder from src/web (tests) and dist/web (the build): views are not compiled by tsc. */
export const WEB_ROOT = resolve(__dirname, '../../src/web');

/**
 * Server-rendered pages: Handlebars with HTML escaping ON (unlike posts, which are plain text),
 * every view compiled once at start, wrapped in the layout.
 */
@Injectable()
export class Views {
  private readonly hb = Handlebars.create();
  private readonly templates = new Map<string, HandlebarsTemplateDelegate>();
  readonly css = readFileSync(join(WEB_ROOT, 'public/app.css'), 'utf8');
  readonly script = readFileSync(join(WEB_ROOT, 'public/app.js'), 'utf8');

  constructor() {
    this.hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hb.registerHelper('json', (value: unknown) => JSON.stringify(value));
    // {{t "post.title" id=post.id}}: a message of the page's catalogue (pages pass `i18n`), escaped like any value.
    this.hb.registerHelper('t', (...args: unknown[]) => {
      const options = args.pop() as Handlebars.HelperOptions;
      return (options.data.root.i18n as Translator).t(args.join('.'), options.hash);
    });
    const dir = join(WEB_ROOT, 'views');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
      const name = file.replace(/\.hbs$/, '');
      const source = readFileSync(join(dir, file), 'utf8');
      if (name.startsWith('_')) this.hb.registerPartial(name.slice(1), source);
      else this.templates.set(name, this.hb.compile(source, { strict: false }));
    }
  }

  render(view: string, context: Record<string, unknown>): string {
    const template = this.templates.get(view);
    if (!template) throw new Error(`no view ${view}`);
    return this.templates.get('layout')!({ ...context, body: template(context) });
  }
}
