/**
 * An input port's connector: loads one declared input into a table of the build's session, named
 * after the source with underscores (`orders-db` → `orders_db`), and says what it read. A connector
 * that keeps a position (a change stream) stages its next position and commits it only once the
 * version built from it is published, so a failed build reads the same changes again next time.
 */
import type { DataProduct, InputRead, ProductInput } from '../../../../schema/index.js';
import type { BuildEnv } from '../BuildEnv.js';
import type { BuildSession } from '../BuildSession.js';

/** What a connector is given. */
export interface InputContext {
  /** The product being built. */
  readonly product: DataProduct;
  readonly input: ProductInput;
  /** The table to create. */
  readonly table: string;
  readonly session: BuildSession;
  readonly env: BuildEnv;
  /** A folder of this build's own (under the version's staging folder) for files the connector writes. */
  readonly scratch: string;
  /** The text of the transform, whose hash the access log records for an upstream read. */
  readonly transformSql: string;
}

/** What a connector loaded. */
export interface LoadedInput {
  readonly read: InputRead;
  /** How current the data is, if the connector knows (an upstream version's dataAsOf). */
  readonly dataAsOf?: Date;
  /** Makes the connector's new position its checkpoint; called once the version is published. */
  readonly commit?: () => Promise<void>;
}

/** Loads one input. */
export type InputConnector = (ctx: InputContext) => Promise<LoadedInput>;

/** The table a transform reads an input as. */
export const inputTable = (source: string): string => source.replaceAll('-', '_');
