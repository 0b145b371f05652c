/**
 * Structural checks of the DOT and Mermaid that `meshgate lineage` prints, line by line against the
 * statements the renderers may write: every id and label quoted (quotes inside escaped), braces or
 * subgraphs balanced, every edge between declared nodes. Each returns the problems it found.
 */

const DOT_STRING = /"(?:[^"\\\n]|\\.)*"/g;
const DOT_ATTRS = String.raw`\w+=(?:Q|[\w#.]+)(?:, \w+=(?:Q|[\w#.]+))*`;
const DOT_LINES = [
  /^digraph Q \{$/,
  /^rankdir=LR;$/,
  new RegExp(String.raw`^(?:node|edge) \[${DOT_ATTRS}\];$`),
  new RegExp(String.raw`^(?:label=Q|penwidth=\d+);$`),
  /^subgraph cluster_\d+ \{$/,
  new RegExp(String.raw`^Q \[${DOT_ATTRS}\];$`),
  new RegExp(String.raw`^Q -> Q(?: \[${DOT_ATTRS}\])?;$`),
  /^\}$/,
];

/** What is wrong with `text` as the lineage's DOT. */
export function dotProblems(text: string): string[] {
  const problems: string[] = [];
  const declared = new Set<string>();
  let depth = 0;
  for (const [i, raw] of text.trimEnd().split('\n').entries()) {
    const strings = raw.match(DOT_STRING) ?? [];
    const line = raw.trim().replace(DOT_STRING, 'Q');
    if (line.includes('"')) problems.push(`line ${i + 1}: an unbalanced quote: ${raw}`);
    if (!DOT_LINES.some((p) => p.test(line))) problems.push(`line ${i + 1}: not a statement the renderer writes: ${raw}`);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth < 0) problems.push(`line ${i + 1}: a closing brace without an opening one`);
    if (/^Q \[/.test(line)) declared.add(strings[0]!);
    if (/^Q -> Q/.test(line)) for (const id of strings.slice(0, 2)) if (!declared.has(id)) problems.push(`line ${i + 1}: ${id} is not declared`);
  }
  if (depth !== 0) problems.push(`braces do not balance (${depth})`);
  if (!/^digraph /.test(text)) problems.push('it does not start with digraph');
  return problems;
}

const MERMAID_LABEL = /"[^"]*"/g;
const MERMAID_LINES = [
  /^flowchart LR$/,
  /^(n\d+)\[Q\]$/,
  /^(n\d+)\[\(Q\)\]$/,
  /^(n\d+|c\d+) (?:-->|==>|-\.->)(?:\|Q\|)? (n\d+|c\d+)$/,
  /^subgraph (n\d+)\[Q\]$/,
  /^(c\d+)\[Q\]$/,
  /^end$/,
  /^classDef focus [\w:-]+$/,
  /^class (n\d+) focus$/,
];

/** What is wrong with `text` as the lineage's Mermaid flowchart. */
export function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const declared = new Set<string>();
  let open = 0;
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'flowchart LR') problems.push('it does not start with "flowchart LR"');
  for (const [i, raw] of lines.entries()) {
    for (const label of raw.match(MERMAID_LABEL) ?? []) if (/[<>]/.test(label.replaceAll('<br/>', ''))) problems.push(`line ${i + 1}: an unescaped angle bracket in ${label}`);
    const line = raw.trim().replace(MERMAID_LABEL, 'Q');
    if (line.includes('"')) problems.push(`line ${i + 1}: an unbalanced quote: ${raw}`);
    const pattern = MERMAID_LINES.find((p) => p.test(line));
    if (!pattern) {
      problems.push(`line ${i + 1}: not a statement the renderer writes: ${raw}`);
      continue;
    }
    const ids = [...line.matchAll(/\b([nc]\d+)\b/g)].map((m) => m[1]!);
    if (/^(subgraph )?[nc]\d+\[/.test(line)) declared.add(ids[0]!);
    else for (const id of ids) if (!declared.has(id)) problems.push(`line ${i + 1}: ${id} is used before it is declared`);
    if (line.startsWith('subgraph ')) open += 1;
    if (line === 'end') open -= 1;
  }
  if (open !== 0) problems.push(`subgraphs do not balance (${open})`);
  return problems;
}
