/**
 * The two files `meshgate init` writes for a new product: its descriptor (an owner placeholder that
 * `meshgate check` refuses, the one Parquet output, the SLA baseline, a manual schedule: the domain
 * publishes its own files) and its Avro contract, every guess marked for review.
 */
import { stringify } from 'yaml';
import { pascalCase, singular } from '../../schema/naming.js';
import type { Inferred, InferredColumn } from './inferContract.js';

/** The placeholder owner: not an email address nor a @team handle, so `meshgate check` names it. */
export const OWNER_PLACEHOLDER = 'TODO-owning-team';

/** What a scaffold is made from. */
export interface ScaffoldInput {
  readonly domain: string;
  readonly product: string;
  /** The input file's name, for the comments. */
  readonly from: string;
  readonly inferred: Inferred;
  /** The SLA's freshness: the mesh's baseline. */
  readonly freshness: string;
}

/** The descriptor's text, with comments saying what to review. */
export function descriptorText(s: ScaffoldInput): string {
  const body = stringify({
    name: s.product,
    domain: s.domain,
    owner: OWNER_PLACEHOLDER,
    outputs: [{ name: `${s.product}-v1`, format: 'parquet', location: `${s.domain}/${s.product}/`, schema: `schemas/${s.product}-v1.avsc` }],
    schedule: 'manual',
    sla: { freshness: s.freshness },
  });
  return [
    `# Scaffolded by \`meshgate init\` from ${s.from}. Review it, set the owner, confirm the guesses in`,
    `# schemas/${s.product}-v1.avsc, then run \`meshgate check\` until it passes.`,
    `# The product has no build: its data arrives by \`meshgate publish ${s.product} --from DIR\` (schedule: manual).`,
    body.replace(/^owner: .*$/m, (line) => `# The owning team's email address or @team handle; meshgate check refuses this placeholder.\n${line}`),
  ].join('\n');
}

/** One contract field: the inferred type (with its null branch), the declared or guessed classification and key, each guess marked. */
function field(c: InferredColumn, key: Inferred['key']): Record<string, unknown> {
  const classification = c.declared?.classification;
  const isKey = c.declared?.key ?? key?.column === c.name;
  return {
    name: c.name,
    type: c.nullable ? ['null', c.type] : c.type,
    ...(c.doc !== undefined && { doc: c.doc }),
    ...(isKey && { key: true }),
    ...(key?.column === c.name && { keyGuessed: key.reason }),
    classification: classification ?? c.guess.classification,
    ...(classification === undefined && { classificationGuessed: c.guess.reason }),
    ...c.rest,
  };
}

/** The Avro contract, as JSON text. */
export function contractText(s: ScaffoldInput): string {
  const { inferred } = s;
  const record = {
    type: 'record',
    name: inferred.recordName && /^[A-Z][A-Za-z0-9]*$/.test(inferred.recordName) ? inferred.recordName : pascalCase(singular(s.product)),
    doc: inferred.recordDoc ?? `The ${s.product} data product of the ${s.domain} domain (scaffolded by meshgate init from ${s.from}: describe what one row is).`,
    version: '1.0.0',
    compatibility: 'BACKWARD',
    ...(inferred.order && { order: inferred.order.columns, orderGuessed: inferred.order.reason }),
    fields: inferred.columns.map((c) => field(c, inferred.key)),
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}
