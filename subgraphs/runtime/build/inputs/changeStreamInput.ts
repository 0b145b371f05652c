/**
 * `type: postgres-cdc` in the embedded default: the table's changes come from a local change
 * stream, a folder of JSON-lines change records in the shape a CDC tool emits (the sample's seed
 * writes them), at `landing/<domain>/<source>/` or the declared `path`. With a connection
 * configured for the input (MESHGATE_INPUT_<SOURCE>_URL), the same declaration reads PostgreSQL's
 * logical replication instead (postgresCdcInput.ts).
 */
import { landingFiles, landingFolder } from './filesInput.js';
import { loadFromChanges } from './changeMirror.js';
import type { InputConnector } from './InputConnector.js';

/** Applies the change files of the input's landing folder to its mirror. */
export const changeStreamInput: InputConnector = async (ctx) => {
  const dir = landingFolder(ctx.env.dataRoot, ctx.product.domain, ctx.input);
  return loadFromChanges(ctx, await landingFiles(dir, 'jsonl'), 'postgres-cdc');
};
