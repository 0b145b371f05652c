/**
 * What a build needs from its surroundings, given by the composition root: the mesh, the access
 * policy it reads upstream products under, the access log its reads are recorded in, the
 * deployment's connections for operational inputs, and a clock. The build runtime itself reads no
 * environment and opens no log.
 */
import type { PolicyFile } from '../../../policies/index.js';
import type { AccessFacts, DataProduct, Log } from '../../../schema/index.js';

/** The settings and hooks of a build. */
export interface BuildEnv {
  /** The mesh's data root: every output folder and landing folder lives under it. */
  readonly dataRoot: string;
  /** Every product of the mesh by name (upstream inputs and references resolve here). */
  readonly products: ReadonlyMap<string, DataProduct>;
  /** The access policy upstream reads are decided under; null when access control is off (everything reads unmasked). */
  readonly policy: PolicyFile | null;
  /** The policy file's name, for the reasons in decisions. */
  readonly policyFile: string;
  /** The secret of keyed-hash masks (the subgraphs' own, so hashed values still join). */
  readonly hashKey: string;
  /** Records an upstream read in the access log; resolves once it is durable. */
  readonly record: (facts: AccessFacts) => Promise<void>;
  /** The connection URL the deployment configures for an operational input (`MESHGATE_INPUT_<SOURCE>_URL`), if any. */
  readonly connection: (source: string) => string | undefined;
  /** Progress and messages, one line each. */
  readonly log: Log;
  /** "Now" (tests move it). */
  readonly now: () => Date;
  /** DuckDB's bounds for one build. */
  readonly memoryLimit: string;
  readonly threads: number;
}

/** A build that cannot go on: the message names the product and the problem, and nothing was published. */
export class BuildError extends Error {
  override readonly name = 'BuildError';
  constructor(
    readonly product: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${product}: ${message}`, options);
  }
}
