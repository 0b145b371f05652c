/** Reads an ODCS file as `meshgate contract import` does: parse, validate against the official schema, then read the contract. */
import { contractFromOdcs } from '../contract/fromOdcs.js';
import type { Contract } from '../contract/types.js';
import { readStructured } from '../descriptor/loadDataProduct.js';
import type { Result } from '../errors.js';
import { validateOdcs } from './validateOdcs.js';

/** Reads, validates and converts one ODCS v3 file; every problem names the file and the path inside it. */
export async function importOdcs(file: string): Promise<Result<Contract>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  const problems = validateOdcs(file, raw.value);
  if (problems.length) return { errors: problems };
  return contractFromOdcs(file, raw.value);
}
