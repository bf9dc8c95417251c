import { Document, isMap, parseDocument, Scalar, YAMLMap } from 'yaml';
import type { MessageEdit } from './template-set';

export interface LocaleExport {
  /** The shipped file's text, when the locale has one: its comments and layout are kept. */
  file?: string;
  locale: string;
  edits: ReadonlyMap<string, MessageEdit>;
  /** Messages whose current text a person reviewed in the browser: written as `reviewedBy`. */
  reviewedBy: ReadonlyMap<string, string>;
}

/** A multi-line text as a `|-` block, as the shipped files write them (Handlebars needs no final newline). */
function textNode(doc: Document, text: string): Scalar {
  const node = doc.createNode(text) as Scalar;
  if (text.includes('\n')) node.type = 'BLOCK_LITERAL';
  return node;
}

/**
 * A locale's `<locale>.yaml` with the browser's edits written in: edited messages replace their text
 * and short form (a `reviewedBy` of the old text is dropped), and reviews of the current text become
 * `reviewedBy`. Everything else stays as the file wrote it.
 */
export function exportLocaleYaml(input: LocaleExport): string {
  const doc = input.file !== undefined ? parseDocument(input.file) : new Document({ locale: input.locale, review: 'needs-review', messages: {} });
  if (!isMap(doc.get('messages', true))) doc.set('messages', doc.createNode({}));
  const messages = doc.get('messages', true) as unknown as YAMLMap;
  for (const [key, edit] of input.edits) {
    if (edit.text === null) continue; // a review only: written below, as reviewedBy
    const existing: unknown = messages.get(key, true);
    const entry = isMap(existing) ? existing : (doc.createNode({}) as YAMLMap);
    entry.set('text', textNode(doc, edit.text));
    if (edit.short === null) entry.delete('short');
    else entry.set('short', textNode(doc, edit.short));
    entry.delete('reviewedBy');
    messages.set(key, entry);
  }
  for (const [key, reviewer] of input.reviewedBy) {
    const entry = messages.get(key, true);
    if (isMap(entry)) entry.set('reviewedBy', reviewer);
  }
  return doc.toString({ lineWidth: 0 });
}
