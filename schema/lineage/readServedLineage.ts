/** The served version of each product and the lineage its record holds, read from the version stores (schema/publish). */
import type { DataProduct } from '../descriptor/DataProduct.js';
import { readManifest } from '../publish/manifestFile.js';
import { readVersionRecord } from '../publish/versionRecordFile.js';
import type { ServedLineage } from './buildLineageGraph.js';

/** The served version of each of `products`, with its recorded lineage; a product whose manifest cannot be used is noted and taken as not built. */
export async function readServedLineage(products: Iterable<DataProduct>, note: (line: string) => void = () => undefined): Promise<Map<string, ServedLineage>> {
  const served = new Map<string, ServedLineage>();
  await Promise.all(
    [...products].map(async (p) => {
      const read = await readManifest(p.storeDir);
      if (read.kind === 'bad') note(`${p.name}: ${read.reason}; shown as not built`);
      if (read.kind !== 'ok') return;
      const record = await readVersionRecord(p.storeDir, read.manifest.version);
      served.set(p.name, { version: read.manifest.version, ...(record?.lineage && { lineage: record.lineage }) });
    }),
  );
  return served;
}
