import { LocaleRenderer } from './render';

const context = { member: 'Slovenia & Croatia', date: '18 October 2021', theme: 'Policy', hashtags: '#A&B', facts: {} };

describe('LocaleRenderer', () => {
  it('renders a checked template as plain text, its partials too (no HTML escaping), strict about variables', () => {
    const renderer = new LocaleRenderer('en');
    renderer.registerPartial('footer', '{{hashtags}} <{{member}}>');
    const source = '{{member}}: "{{theme}}" {{> footer}}';
    renderer.check(source);
    const template = renderer.compile(source);
    expect(template(context)).toBe('Slovenia & Croatia: "Policy" #A&B <Slovenia & Croatia>');
    renderer.registerPartial('broken', '{{missing}}');
    renderer.check('{{> broken}}');
    expect(() => renderer.compile('{{> broken}}')(context)).toThrow(/"missing" not defined/);
  });

  it('renders the same as a template compiled without a check', () => {
    const checked = new LocaleRenderer('sl');
    const unchecked = new LocaleRenderer('sl');
    const source = '{{plural 3 one="# dan" two="# dneva" few="# dnevi" other="# dni"}}, {{formatDate "2021-10-18"}}, {{#if member}}{{member}}{{/if}}';
    checked.check(source);
    expect(checked.compile(source)(context)).toBe(unchecked.compile(source)(context));
  });
});

describe('LocaleRenderer, a source checked before (its code reused)', () => {
  it('renders the partials it calls as plain text and strictly, as the first time', () => {
    const source = '{{> footer}} {{member}}';
    for (const round of [1, 2]) {
      const renderer = new LocaleRenderer('en');
      renderer.registerPartial('footer', round === 1 ? '{{hashtags}}' : '{{hashtags}} {{missing}}');
      renderer.check(source);
      const template = renderer.compile(source);
      if (round === 1) expect(template(context)).toBe('#A&B Slovenia & Croatia');
      else expect(() => template(context)).toThrow(/"missing" not defined/);
    }
  });
});
