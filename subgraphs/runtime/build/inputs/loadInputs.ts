/** Loads every declared input of a product through its type's connector; a type without a connector here is declared for lineage only, and a build that needs it says so. */
import { BuildError } from '../BuildEnv.js';
import { changeStreamInput } from './changeStreamInput.js';
import { dataProductInput } from './dataProductInput.js';
import { filesInput } from './filesInput.js';
import { inputTable, type InputConnector, type InputContext, type LoadedInput } from './InputConnector.js';
import { postgresCdcInput } from './postgresCdcInput.js';
import { postgresInput } from './postgresInput.js';

/** The connector of an input, given whether the deployment configures a connection for it. */
function connectorFor(type: string, connected: boolean): InputConnector | undefined {
  switch (type) {
    case 'data-product':
      return dataProductInput;
    case 'files':
      return filesInput;
    case 'postgres':
      return postgresInput;
    case 'postgres-cdc':
      return connected ? postgresCdcInput : changeStreamInput;
    default:
      return undefined;
  }
}

/** Loads each input into the table named after it, in declaration order. */
export async function loadInputs(ctx: Omit<InputContext, 'input' | 'table'>): Promise<LoadedInput[]> {
  const loaded: LoadedInput[] = [];
  for (const input of ctx.product.inputs) {
    const connector = connectorFor(input.type, ctx.env.connection(input.source) !== undefined);
    if (!connector) {
      throw new BuildError(
        ctx.product.name,
        `input ${input.source} is of type "${input.type}", which this platform has no connector for: it is declared for lineage only. ` +
          'Land its data as files (type: files) or read it from a data product, and make the transform read that.',
      );
    }
    ctx.env.log(`${ctx.product.name}: reading ${input.source} (${input.type})...`);
    loaded.push(await connector({ ...ctx, input, table: inputTable(input.source) }));
  }
  return loaded;
}
