/**
 * The text of the GraphiQL page's welcome tab: what meshgate is, how to get a token and send it,
 * the example tabs, who may read what, and the error codes, as GraphQL comments above a first
 * query. What it says follows what the gateway offers: dev tokens, the policy, or neither.
 */
import type { PolicyFile } from '../../policies/index.js';
import { ERROR_CODES, type ErrorCode } from '../../schema/index.js';
import type { GraphiQLExample } from './examples.js';
import { describeRules } from './policyGuide.js';

/** What the welcome tab has to tell. */
export interface WelcomeOptions {
  /** Whether a token is needed (access control is on). */
  readonly access: boolean;
  /** Whether the page offers dev tokens (dev mode). */
  readonly devTokens: boolean;
  /** The policy, to say who may read what; absent, the tab does not describe it. */
  readonly policy?: PolicyFile;
  /** The example tabs that follow, to list them. */
  readonly examples: readonly GraphiQLExample[];
  /** The tab's own query: one named operation `Welcome`. */
  readonly query: string;
}

// Narrow enough to read without scrolling in GraphiQL's editor pane, about 600 pixels (half of a laptop screen).
const WIDTH = 64;

/** `text` as comment lines of at most WIDTH characters, the first after `first`, the rest after `rest`. */
function wrap(text: string, first: string, rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const prefix = lines.length === 0 ? first : rest;
    if (line.length > prefix.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest;
    }
    line += line.length > (lines.length === 0 ? first : rest).length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd());
}

/** The operation name of an example (GraphiQL's tab title). */
export function operationName(query: string): string | undefined {
  return /^\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(query)?.[1];
}

function tokenSection(options: WelcomeOptions): string[] {
  if (!options.access) return wrap('Access control is off on this gateway (MESHGATE_ACCESS=off): no token is needed, and every caller reads everything unmasked.', '# ');
  const lines = wrap('1. Get a token. Without one nothing answers, the schema included (401 UNAUTHENTICATED).', '# ', '#    ');
  if (options.devTokens) {
    lines.push(
      ...wrap(
        '- Here: choose a sub and a role in the bar above and press "Get dev token": the page puts it into the Headers pane for you (dev mode only; valid for an hour).',
        '#    ',
        '#      ',
      ),
      '#    - Or in a terminal:',
      '#        npx meshgate token --sub you --roles analyst',
      '#      and put this into the Headers pane (below the editor):',
      '#        {"Authorization": "Bearer <token>"}',
    );
  } else {
    lines.push(
      ...wrap("Get a bearer token from your organisation's identity provider and put this into the Headers pane (below the editor):", '#    '),
      '#      {"Authorization": "Bearer <token>"}',
    );
  }
  lines.push(
    ...wrap(
      'The schema (the Docs explorer, completion) is fetched again whenever the Authorization header changes; "Reload schema" in the bar does it by hand. An expired token is answered "The token expired at ..."; get a new one the same way.',
      '#    ',
    ),
  );
  return lines;
}

function examplesSection(options: WelcomeOptions): string[] {
  const lines = [`# ${options.access ? '2' : '1'}. Run this tab's query: the run button, or Ctrl-Enter.`];
  if (options.examples.length === 0) return lines;
  lines.push('#    The other tabs hold examples, each saying what it shows:');
  for (const e of options.examples) {
    lines.push(`#      - ${operationName(e.query) ?? ''}`, ...wrap(e.title, '#        '));
  }
  return lines;
}

function policySection(policy: PolicyFile): string[] {
  const lines = wrap("3. What you may read depends on your token's roles (and purpose), under the access policy:", '# ', '#    ');
  for (const rule of describeRules(policy)) {
    lines.push(...wrap(rule.grant, '#      - ', '#        '));
    if (rule.description) lines.push(...wrap(rule.description, '#        ', '#        '));
  }
  lines.push('#    Add "x-meshgate-explain": "1" to the headers to see in', "#    each answer's extensions which rule granted what.");
  return lines;
}

/** What a reader of the page most needs to know of some codes (ERROR_CODES says what each means). */
const GLOSSES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: 'no, expired or bad token',
  FORBIDDEN: 'a product or field your roles may not read, or a filter on one you read masked',
};

function errorsSection(): string[] {
  const codes = (Object.keys(ERROR_CODES) as ErrorCode[]).map((c) => (GLOSSES[c] ? `${c} (${GLOSSES[c]})` : c));
  return wrap(`Every error carries extensions.code: ${codes.join(', ')}.`, '# ');
}

/** The welcome tab's text: the guide, as comments, then `options.query`. */
export function welcomeTab(options: WelcomeOptions): string {
  const intro = [
    '# Welcome to meshgate',
    '#',
    ...wrap(
      "meshgate is this data mesh's access layer: every domain declares its data products once (a descriptor and a contract), and this one GraphQL graph serves them all. The gateway checks who you are and decides what you may read, product by product, field by field and row by row; the domains mask personal data inside their own database, so raw values never leave a domain for a caller who may not see them.",
      '# ',
    ),
  ];
  const sections = [intro, tokenSection(options), examplesSection(options), ...(options.access && options.policy ? [policySection(options.policy)] : []), errorsSection()];
  return `${sections.map((s) => s.join('\n')).join('\n#\n')}\n\n${options.query}\n`;
}
