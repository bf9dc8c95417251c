import Handlebars from 'handlebars';

type HbNode = { type?: string; [key: string]: unknown };

export interface HelperCall {
  name: string;
  /** Literal parameters keep their value; paths are listed as variables too. */
  params: { type: string; value: unknown }[];
  hashKeys: string[];
  line: number;
  column: number;
}

export interface TemplateReferences {
  variables: { name: string; line: number; column: number }[];
  helpers: HelperCall[];
  partials: { name: string; line: number; column: number }[];
}

interface Loc {
  start: { line: number; column: number };
}

/**
 * Lists what a template refers to, so that an unknown variable is reported at import: Handlebars'
 * strict mode only notices it at render time (pitfalls.md §7).
 */
export function templateReferences(source: string): TemplateReferences {
  const refs: TemplateReferences = { variables: [], helpers: [], partials: [] };
  const at = (n: HbNode) => (n.loc as Loc | undefined)?.start ?? { line: 1, column: 0 };
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const node = n as HbNode;
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      const name = (node.name as { original: string }).original;
      refs.partials.push({ name: String(name), ...at(node) });
      return;
    }
    const isCall = ['MustacheStatement', 'SubExpression', 'BlockStatement'].includes(node.type ?? '');
    const params = (node.params as unknown[] | undefined) ?? [];
    const hash = node.hash as { pairs: { key: string; value: unknown }[] } | undefined;
    if (isCall && (params.length > 0 || hash)) {
      const path = node.path as { original: string };
      const literals = (params as HbNode[]).map((p) => ({ type: String(p.type), value: p.value ?? p.original }));
      refs.helpers.push({ name: path.original, params: literals, hashKeys: hash?.pairs.map((p) => p.key) ?? [], ...at(node) });
      params.forEach(walk);
      hash?.pairs.forEach((p) => walk(p.value));
      walk(node.program);
      walk(node.inverse);
      return;
    }
    if (node.type === 'PathExpression') {
      // Only if/unless are allowed as blocks, so every path is read from the root context:
      // `this.x` and `@root.x` are `x`; other data (`@index`) and bare `this` are reported as they are.
      const original = String(node.original);
      const name = original.replace(/^(this\.|@root\.)/, '');
      refs.variables.push({ name, ...at(node) });
      return;
    }
    for (const key of Object.keys(node)) if (key !== 'loc') walk(node[key]);
  };
  walk(Handlebars.parse(source));
  return refs;
}
