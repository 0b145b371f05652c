/**
 * `type: data-product`: another domain's product, read exactly as a query would read it. The
 * consuming domain reads as its service principal (`service:<domain>`, with the purpose its
 * descriptor declares), under the upstream product's access policy: only the current published
 * version, only contract columns it may read, PII through its masks unless the policy unmasks it
 * for that purpose, only the rows its row policy grants. Every such read is an entry in the access
 * log, durable before the build goes on, like any query's; a refusal is logged too.
 */
import { createHash, randomUUID } from 'node:crypto';
import { evaluateAccess, grantOf, readParts, type Principal, type ProductDecision } from '../../../../policies/index.js';
import { factList, manifestFiles, productShape, readManifest, type AccessFacts, type DataProduct } from '../../../../schema/index.js';
import { allOf, buildLoadUpstream, buildRowCount } from '../../sql/index.js';
import { columnOf } from '../../graphql/translateArgs.js';
import { maskColumns, rowCondition } from '../../read/applyGrant.js';
import { BuildError, type BuildEnv } from '../BuildEnv.js';
import type { InputConnector } from './InputConnector.js';

/** The principal a domain's builds read other domains' products as. */
export function servicePrincipal(domain: string, purpose: string | undefined): Principal {
  const sub = `service:${domain}`;
  return { sub, roles: [sub], scopes: [], ...(purpose !== undefined && { purpose }), claims: { sub, roles: [sub], ...(purpose !== undefined && { purpose }) } };
}

/** Everything readable, unmasked: the decision when access control is off. */
function openDecision(upstream: DataProduct): ProductDecision {
  return { product: upstream.name, allowed: true, grantedBy: ['access control off'], masks: {}, denied: {}, rows: null, rowRules: [] };
}

/** The access-log entry of one upstream read (or of its refusal). */
function facts(
  env: BuildEnv,
  principal: Principal,
  consumer: DataProduct,
  upstream: DataProduct,
  transformSql: string,
  outcome: { decision: ProductDecision; columns: readonly string[]; rows: number } | { refused: true },
  startedAt: number,
): AccessFacts {
  const read = 'refused' in outcome ? undefined : outcome;
  // Each classified part read: a column, or a struct's member (`ship_to.postal_code`), masked or in the clear.
  const parts = (read?.columns ?? []).map((c) =>
    readParts(
      upstream.contract.fields.find((f) => f.name === c)!,
      read!.decision.masks,
    ),
  );
  const masked = parts.flatMap((p) => p.masked);
  const unmasked = parts.flatMap((p) => p.unmasked);
  return {
    time: new Date(startedAt).toISOString(),
    request_id: randomUUID(),
    subject: principal.sub,
    roles: factList(principal.roles),
    purpose: principal.purpose ?? null,
    client_name: 'meshgate build',
    client_version: null,
    operation_name: `build ${consumer.name}`,
    operation_type: 'build',
    document_hash: createHash('sha256').update(transformSql).digest('hex'),
    products: upstream.name,
    fields_read: factList(read ? read.columns.map((c) => `${upstream.name}.${c}`) : []),
    masks_applied: factList(masked.map(([path, mask]) => `${upstream.name}.${path}=${mask}`)),
    pii_unmasked: factList(unmasked.map((c) => `${upstream.name}.${c}`)),
    pii_unmasked_count: unmasked.length,
    fields_denied: read ? '' : upstream.name,
    row_rules: factList(read ? read.decision.rowRules.map((r) => `${upstream.name}=${r}`) : []),
    rows_returned: read ? `${upstream.name}=${read.rows}` : '',
    rows_total: read?.rows ?? 0,
    decision: read ? (masked.length > 0 ? 'mask' : 'allow') : 'deny',
    status: read ? 'ok' : 'error',
    http_status: read ? 200 : 403,
    error_code: read ? null : 'FORBIDDEN',
    duration_ms: Math.round((env.now().getTime() - startedAt) * 1000) / 1000,
  };
}

/** Loads an upstream product's served version, masked and filtered for the consuming domain, and logs the read. */
export const dataProductInput: InputConnector = async ({ product, input, table, session, env, transformSql }) => {
  const startedAt = env.now().getTime();
  const upstream = env.products.get(input.source);
  if (!upstream) throw new BuildError(product.name, `input ${input.source} (data-product): the mesh has no product named "${input.source}"`);
  if (input.domain !== undefined && upstream.domain !== input.domain) {
    throw new BuildError(product.name, `input ${input.source} (data-product): it belongs to the ${upstream.domain} domain, not ${input.domain} as declared`);
  }
  const manifest = await readManifest(upstream.storeDir);
  if (manifest.kind !== 'ok') {
    const why = manifest.kind === 'none' ? 'it has no published version yet (build it first)' : manifest.reason;
    throw new BuildError(product.name, `input ${input.source} (data-product) is unavailable: ${why}`);
  }
  const principal = servicePrincipal(product.domain, input.purpose);
  const decision = env.policy ? evaluateAccess(env.policy, principal, upstream, env.policyFile) : openDecision(upstream);
  if (!decision.allowed) {
    await env.record(facts(env, principal, product, upstream, transformSql, { refused: true }, startedAt));
    throw new BuildError(
      product.name,
      `input ${input.source} (data-product): the ${product.domain} domain may not read it: no access rule of ${env.policyFile} grants it to ${principal.sub}` +
        `${principal.purpose ? ` for the purpose "${principal.purpose}"` : ' (the input declares no purpose)'}`,
    );
  }
  const shape = productShape(upstream, env.products);
  const readable = shape.fields.filter((f) => !decision.denied[f.field.name]).map((f) => ({ column: columnOf(f), as: f.field.name }));
  const grant = grantOf(decision);
  const columns = maskColumns(grant, readable, shape, env.hashKey);
  const where = allOf(grant.rows ? rowCondition(grant.rows, shape) : undefined);
  await session.run(buildLoadUpstream(table, columns, manifestFiles(upstream.storeDir, manifest.manifest), where));
  const [count] = await session.rows(buildRowCount(table));
  const rows = Number(count?.rows ?? 0);
  // The read is on the record before anything is built from it (fail closed, as a query is).
  await env.record(facts(env, principal, product, upstream, transformSql, { decision, columns: readable.map((c) => c.column.name), rows }, startedAt));
  const masked = Object.fromEntries(Object.entries(decision.masks).map(([c, m]) => [c, m.mask]));
  return {
    read: { source: input.source, type: 'data-product', version: manifest.manifest.version, rows, ...(Object.keys(masked).length > 0 && { masked }) },
    dataAsOf: new Date(manifest.manifest.dataAsOf),
  };
};
