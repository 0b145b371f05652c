/** Loads one `data-product.yaml` and the contract its served output points to. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { contractFromAvro } from '../contract/fromAvro.js';
import { contractFromOdcs } from '../contract/fromOdcs.js';
import type { Contract } from '../contract/types.js';
import type { DeclarationProblem, Loaded, Result } from '../errors.js';
import type { DataProduct, GateThresholds } from './DataProduct.js';
import { descriptorSchema, durationMs, percent } from './descriptorSchema.js';
import { zodProblems } from './zodProblems.js';

/** Where relative output locations resolve. */
export interface LoadOptions {
  /** The mesh's data root: relative `location`s resolve against it. */
  readonly dataRoot: string;
}

/** Reads and parses a YAML or JSON file, reporting a syntax error as a problem of that file. */
export async function readStructured(file: string): Promise<Result<unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { errors: [{ file, path: '', message: code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})` }] };
  }
  try {
    return { value: file.endsWith('.avsc') || file.endsWith('.json') ? JSON.parse(text) : parseYaml(text) };
  } catch (error) {
    const what = file.endsWith('.avsc') || file.endsWith('.json') ? 'JSON' : 'YAML';
    return { errors: [{ file, path: '', message: `expected valid ${what}: ${(error as Error).message.split('\n')[0]}` }] };
  }
}

/** Resolves a declared location to the product's output folder (its version store), or says why it cannot be served. */
export function resolveLocation(location: string, dataRoot: string): { value: string } | { error: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  if (scheme && scheme[1]!.toLowerCase() !== 'file') {
    return { error: `expected a path under the data root; "${scheme[1]}://" storage is not reachable from this build` };
  }
  const local = scheme ? location.slice('file://'.length) : location;
  if (/\.parquet$/i.test(local) || local.includes('*')) return { error: "expected a folder (the product's published versions live in it), not a file or a pattern" };
  const root = path.resolve(dataRoot);
  const absolute = path.resolve(root, local);
  if (absolute !== root && !absolute.startsWith(`${root}${path.sep}`)) return { error: 'expected a folder under the data root' };
  if (absolute === root) return { error: 'expected a folder of its own under the data root, not the data root itself' };
  return { value: absolute };
}

/** The schedule a descriptor declares, or a quarter of its freshness SLA (between a minute and six hours), or manual without either. */
function scheduleOf(declared: string | undefined, freshness: string | undefined): DataProduct['schedule'] {
  if (declared === 'manual') return 'manual';
  if (declared) return { everyMs: durationMs(declared) };
  if (!freshness) return 'manual';
  return { everyMs: Math.min(6 * 3_600_000, Math.max(60_000, durationMs(freshness) / 4)) };
}

/** The contract file a descriptor that could not be read whole points to, if it says so. */
function declaredSchema(file: string, doc: unknown): string | undefined {
  const outputs = (doc as { outputs?: unknown } | null)?.outputs;
  if (!Array.isArray(outputs)) return undefined;
  const output = outputs.find(
    (o: unknown) => typeof (o as { schema?: unknown })?.schema === 'string' && String((o as { format?: unknown }).format ?? 'parquet').toLowerCase() === 'parquet',
  );
  return output ? path.resolve(path.dirname(file), (output as { schema: string }).schema) : undefined;
}

/**
 * Loads and validates one descriptor file and its contract. Every problem of both is reported at
 * once; a refused product whose descriptor could be read carries what could be read as `partial`.
 */
export async function loadDataProduct(file: string, options: LoadOptions): Promise<Loaded<DataProduct>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  const parsed = descriptorSchema.safeParse(raw.value ?? {});
  if (!parsed.success) {
    // The contract's own problems belong to the same run.
    const schema = declaredSchema(file, raw.value);
    const contract = schema !== undefined ? await loadContract(schema) : undefined;
    return { errors: [...zodProblems(file, parsed.error), ...(contract?.errors ?? [])] };
  }
  const d = parsed.data;
  const problems: DeclarationProblem[] = [];
  const index = d.outputs.findIndex((o) => o.format.toLowerCase() === 'parquet');
  if (index < 0) return { errors: [{ file, path: 'outputs', message: 'expected an output with format "parquet" (the format meshgate serves)' }] };
  const output = d.outputs[index]!;
  const where = resolveLocation(output.location, options.dataRoot);
  if ('error' in where) problems.push({ file, path: `outputs[${index}].location`, message: where.error });
  const schemaFile = path.resolve(path.dirname(file), output.schema);
  const gate: GateThresholds = {
    ...(output.gate?.rows && { rows: { change: percent(output.gate.rows.change), action: output.gate.rows.action } }),
    ...(output.gate?.nulls && { nulls: { increase: percent(output.gate.nulls.increase), action: output.gate.nulls.action } }),
    ...(output.gate?.distinct && { distinct: { change: percent(output.gate.distinct.change), action: output.gate.distinct.action } }),
    ...(output.gate?.range && { range: output.gate.range }),
  };
  const loaded = await loadContract(schemaFile);
  if (loaded.errors) problems.push(...loaded.errors);
  const contract = { value: loaded.value ?? loaded.partial };
  if (!contract.value) return { errors: problems };
  const product: DataProduct = {
    name: d.name,
    domain: d.domain,
    owner: d.owner,
    tags: [...new Set(d.tags ?? [])],
    ...((d.description ?? contract.value.description) !== undefined && { description: d.description ?? contract.value.description }),
    version: d.version ?? contract.value.version,
    status: d.status ?? 'active',
    ...(d.successor !== undefined && { successor: d.successor }),
    ...(d.sunset !== undefined && { sunset: d.sunset }),
    inputs: d.inputs.map(({ source, type, domain, purpose, path: p, format, query, table, key }) => ({
      source,
      type,
      ...(domain !== undefined && { domain }),
      ...(purpose !== undefined && { purpose }),
      ...(p !== undefined && { path: p }),
      ...(format !== undefined && { format }),
      ...(query !== undefined && { query }),
      ...(table !== undefined && { table }),
      ...(key !== undefined && { key }),
    })),
    outputs: d.outputs,
    sla: {
      ...(d.sla.freshness !== undefined && { freshnessMs: durationMs(d.sla.freshness) }),
      ...(d.sla.availability !== undefined && { availability: percent(d.sla.availability) }),
      ...(d.sla.completeness !== undefined && { completeness: percent(d.sla.completeness) }),
      ...(d.sla.quality_score !== undefined && { qualityScore: d.sla.quality_score }),
      declared: d.sla,
    },
    contract: contract.value,
    descriptorFile: file,
    storeDir: 'value' in where ? where.value : '',
    ...(output.transform !== undefined && { transform: { file: path.resolve(path.dirname(file), output.transform), declared: output.transform } }),
    retention: { keep: output.retention?.keep ?? 5, ...(output.retention?.for !== undefined && { forMs: durationMs(output.retention.for) }) },
    schedule: scheduleOf(d.schedule, d.sla.freshness),
    gate,
  };
  return problems.length ? { errors: problems, partial: product } : { value: product };
}

/** Loads a contract file: `.avsc` (Avro) or an ODCS v3 YAML/JSON document. */
export async function loadContract(file: string): Promise<Loaded<Contract>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  if (file.endsWith('.avsc')) return contractFromAvro(file, raw.value);
  return contractFromOdcs(file, raw.value);
}
