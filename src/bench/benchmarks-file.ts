import { cpus, totalmem } from 'node:os';

/**
 * Updating BENCHMARKS.md when only some benches ran (`npm run bench -- report media`): their sections
 * and their target lines are replaced in place (or added), everything else is left as the last full run
 * wrote it, so a partial run never passes off old figures as new or drops them.
 */
export interface Section {
  /** The `## ` heading, stable across runs: it is how the section is found again. */
  heading: string;
  /** The whole section, heading first, ending with a blank line. */
  markdown: string;
  checks: (readonly [label: string, ok: boolean])[];
}

const TARGETS = '## Targets';

/**
 * A section rewritten by a partial run says when, on what machine and Node, right under its heading:
 * the file's header names the last full run's, and the two differ when sessions change machines.
 */
export function stampSection(section: Section, stamp: string): Section {
  const [heading, ...rest] = section.markdown.split('\n');
  const body = rest.join('\n').replace(/^\n+/, '');
  return { ...section, markdown: `${heading}\n\n_${stamp}_\n\n${body}` };
}

/** This machine as the file names it: "2 × AMD EPYC, 24 GiB". */
export function machineName(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

/** The stamp of a partial run: `npm run bench -- dispatch` on 2026-12-01, 2 × AMD EPYC, 24 GiB, Node v20.20.2. */
export function partialRunStamp(names: string[], date: string, machine: string, node: string): string {
  return `Re-measured by \`npm run bench -- ${names.join(' ')}\` on ${date}: ${machine}, Node ${node}.`;
}

export function spliceSection(doc: string, section: Section): string {
  const lines = doc.split('\n');
  const start = lines.indexOf(section.heading);
  const body = section.markdown.replace(/\n+$/, '').split('\n');
  if (start >= 0) {
    const next = lines.findIndex((line, i) => i > start && line.startsWith('## '));
    const end = next < 0 ? lines.length : next;
    return [...lines.slice(0, start), ...body, '', ...lines.slice(end)].join('\n');
  }
  const targets = lines.indexOf(TARGETS);
  if (targets < 0) return [...lines, '', ...body, ''].join('\n');
  return [...lines.slice(0, targets), ...body, '', ...lines.slice(targets)].join('\n');
}

/** A target's line is found by its label (labels carry no measured figures); a new one goes last. */
export function spliceTargets(doc: string, checks: Section['checks']): string {
  const lines = (doc.split('\n').includes(TARGETS) ? doc : `${doc.replace(/\n+$/, '')}\n\n${TARGETS}\n\n`).split('\n');
  const isTarget = (line: string) => /^- \[[ x]\] /.test(line);
  for (const [label, ok] of checks) {
    const line = `- [${ok ? 'x' : ' '}] ${label}`;
    const at = lines.findIndex((l) => isTarget(l) && l.slice(6) === label);
    if (at >= 0) {
      lines[at] = line;
      continue;
    }
    const heading = lines.indexOf(TARGETS);
    let last = heading + 1;
    lines.forEach((l, i) => { if (i > heading && isTarget(l)) last = i; });
    lines.splice(last + 1, 0, line);
  }
  return lines.join('\n');
}
