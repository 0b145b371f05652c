/** Loads one `data-product.yaml` and the contract its served output points to. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { contractFromAvro } from '../contract/fromAvro.js';
import { contractFromOdcs } from '../contract/fromOdcs.js';
import type { Contract } from '../contract/types.js';
import type { Result } from '../errors.js';
import type { DataProduct } from './DataProduct.js';
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

/** Resolves a declared location to the Parquet files it names, or says why it cannot be served. */
export function resolveLocation(location: string, dataRoot: string): { value: string } | { error: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  if (scheme && scheme[1]!.toLowerCase() !== 'file') {
    return { error: `expected a path under the data root; "${scheme[1]}://" storage is not reachable from this build` };
  }
  const local = scheme ? location.slice('file://'.length) : location;
  const absolute = path.resolve(dataRoot, local);
  // A folder means every Parquet file below it, partition folders (`date=2026-11-24/`) included.
  return { value: /\.parquet$/i.test(absolute) || absolute.includes('*') ? absolute : path.join(absolute, '**', '*.parquet') };
}

/** Loads and validates one descriptor file and its contract. */
export async function loadDataProduct(file: string, options: LoadOptions): Promise<Result<DataProduct>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  const parsed = descriptorSchema.safeParse(raw.value ?? {});
  if (!parsed.success) return { errors: zodProblems(file, parsed.error) };
  const d = parsed.data;
  const index = d.outputs.findIndex((o) => o.format.toLowerCase() === 'parquet');
  if (index < 0) return { errors: [{ file, path: 'outputs', message: 'expected an output with format "parquet" (the format meshgate serves)' }] };
  const output = d.outputs[index]!;
  const where = resolveLocation(output.location, options.dataRoot);
  if ('error' in where) return { errors: [{ file, path: `outputs[${index}].location`, message: where.error }] };
  const schemaFile = path.resolve(path.dirname(file), output.schema);
  const contract = await loadContract(schemaFile);
  if (contract.errors) return contract;
  return {
    value: {
      name: d.name,
      domain: d.domain,
      owner: d.owner,
      ...((d.description ?? contract.value.description) !== undefined && { description: d.description ?? contract.value.description }),
      version: d.version ?? contract.value.version,
      status: d.status ?? 'active',
      ...(d.successor !== undefined && { successor: d.successor }),
      ...(d.sunset !== undefined && { sunset: d.sunset }),
      inputs: d.inputs,
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
      dataPath: where.value,
    },
  };
}

/** Loads a contract file: `.avsc` (Avro) or an ODCS v3 YAML/JSON document. */
export async function loadContract(file: string): Promise<Result<Contract>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  if (file.endsWith('.avsc')) return contractFromAvro(file, raw.value);
  return contractFromOdcs(file, raw.value);
}
