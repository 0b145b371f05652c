/**
 * What only the domain that owns a product knows, live, for its catalog entry: the version it serves
 * now, its versions (published and failed) with their contract-test results, and its SLA measured
 * now (freshness from the served version's data, completeness from its profile, its tests). Version
 * records are immutable files (schema/publish), so each is read once. A record's figures are of
 * every row and every column, so a caller with a row policy gets no row counts or completeness, and
 * a finding's message (which may quote values or counts of a field) only when the caller reads its
 * field in the clear and every row.
 */
import { readdir } from 'node:fs/promises';
import { contextVisibility, type AccessContext } from '../../../policies/index.js';
import { readVersionRecord, versionSeq, versionStore, type DataProduct, type GateFinding, type VersionRecord } from '../../../schema/index.js';
import type { ProductTable } from '../duckdb/ProductTable.js';

/** A version as the catalog serves it. */
export interface VersionView {
  readonly version: string;
  readonly status: 'PUBLISHED' | 'FAILED';
  readonly serving: boolean;
  readonly source: string;
  readonly createdAt: string;
  readonly dataAsOf: string;
  /** Null for a caller with a row policy (it counts rows they may not read). */
  readonly rows: number | null;
  readonly contractVersion: string;
  /** Null for a version published without a gate. */
  readonly testsPassed: number | null;
  readonly testsFailed: number | null;
  readonly findings: readonly FindingView[];
}

/** A gate finding as the caller may read it: its message withheld (null) where it could reveal what they may not read. */
export interface FindingView extends Omit<GateFinding, 'message'> {
  readonly message: string | null;
}

/** The SLA measured now. */
export interface SlaStatusView {
  readonly lastUpdated: string | null;
  readonly ageSeconds: number | null;
  readonly freshnessTargetSeconds: number | null;
  readonly fresh: boolean | null;
  readonly completeness: number | null;
  readonly completenessTarget: number | null;
  readonly testsPassed: boolean | null;
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/** The share of required values present in a version, from its profile; null without a profile or required fields. */
export function completenessOf(product: DataProduct, record: VersionRecord | undefined): number | null {
  const profile = record?.profile;
  const required = product.contract.fields.filter((f) => !f.nullable).map((f) => f.name);
  if (!profile || required.length === 0) return null;
  const nulls = new Map(profile.columns.map((c) => [c.column, c.nulls]));
  const cells = profile.rows * required.length;
  const missing = required.reduce((sum, c) => sum + (nulls.get(c) ?? 0), 0);
  return cells === 0 ? 1 : (cells - missing) / cells;
}

// A message names no file: a path (an absolute one, or a Windows one) becomes "<file>".
const PATH = /(?:[A-Za-z]:)?(?:[\\/][^\s'"(),;]+){2,}/g;

/** The caller's view of a finding: its message only when they read its field (or, for the product, every row) in the clear. */
function findingFor(f: GateFinding, access: AccessContext | null, product: string): FindingView {
  const rowFiltered = access !== null && (access.products[product]?.rows ?? null) !== null;
  const clear = f.field === undefined || contextVisibility(access, product, f.field).seen === 'clear';
  return { ...f, message: !rowFiltered && clear ? f.message.replace(PATH, '<file>') : null };
}

const percent = (share: number): string => `${(share * 100).toFixed(share >= 0.9995 || share < 0.0005 ? 0 : 2)}%`;

/** A duration in the largest whole unit, for sentences: `3 h`, `25 min`. */
function span(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${Math.floor(seconds / 86_400)} d`;
  if (seconds >= 2 * 3_600) return `${Math.floor(seconds / 3_600)} h`;
  if (seconds >= 120) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds)} s`;
}

/** One product's live catalog facts. */
export class LiveFacts {
  private readonly records = new Map<string, Promise<VersionRecord | undefined>>();

  constructor(
    private readonly product: DataProduct,
    private readonly table: ProductTable,
    private readonly now: () => number = Date.now,
  ) {}

  private record(id: string, kept: 'versions' | 'failed'): Promise<VersionRecord | undefined> {
    const key = `${kept}/${id}`;
    let r = this.records.get(key);
    if (!r) this.records.set(key, (r = readVersionRecord(this.product.storeDir, id, kept)));
    return r;
  }

  /** The served version's id, after a look at the manifest (the product may be unavailable: then none). */
  private async served(): Promise<string | undefined> {
    await this.table.table().catch(() => undefined);
    return this.table.manifest?.version;
  }

  /** Whether the caller reads the product under a row policy (record-wide figures would count rows they may not read). */
  private rowFiltered(access: AccessContext | null): boolean {
    return access !== null && (access.products[this.product.name]?.rows ?? null) !== null;
  }

  private view(r: VersionRecord, serving: string | undefined, access: AccessContext | null): VersionView {
    return {
      version: r.version,
      status: r.status === 'published' ? 'PUBLISHED' : 'FAILED',
      serving: r.status === 'published' && r.version === serving,
      source: r.source,
      createdAt: r.createdAt,
      dataAsOf: r.dataAsOf,
      rows: this.rowFiltered(access) ? null : r.rows,
      contractVersion: r.contractVersion,
      testsPassed: r.tests.passed,
      testsFailed: r.tests.failed,
      findings: r.findings.map((f) => findingFor(f, access, this.product.name)),
    };
  }

  /** The version served now, from its record (or, for a version published without one, from its manifest); null before the first. */
  async current(access: AccessContext | null): Promise<VersionView | null> {
    const serving = await this.served();
    const manifest = this.table.manifest;
    if (!serving || !manifest) return null;
    const record = await this.record(serving, 'versions');
    if (record) return this.view(record, serving, access);
    return {
      version: manifest.version,
      status: 'PUBLISHED',
      serving: true,
      source: manifest.source,
      createdAt: manifest.publishedAt,
      dataAsOf: manifest.dataAsOf,
      rows: this.rowFiltered(access) ? null : manifest.rows,
      contractVersion: manifest.contractVersion,
      testsPassed: null,
      testsFailed: null,
      findings: [],
    };
  }

  /** The newest `limit` versions, published and failed, newest first. */
  async versions(limit: number, access: AccessContext | null): Promise<VersionView[]> {
    const serving = await this.served();
    const store = versionStore(this.product.storeDir);
    const ids = async (kept: 'versions' | 'failed'): Promise<[string, 'versions' | 'failed'][]> =>
      (await readdir(store[kept]).catch(() => [] as string[])).filter((id) => versionSeq(id) !== undefined).map((id) => [id, kept]);
    const all = [...(await ids('versions')), ...(await ids('failed'))].sort(([a], [b]) => versionSeq(b)! - versionSeq(a)!).slice(0, limit);
    const records = await Promise.all(all.map(([id, kept]) => this.record(id, kept)));
    return records.filter((r): r is VersionRecord => r !== undefined).map((r) => this.view(r, serving, access));
  }

  /** The SLA as measured now. */
  async slaStatus(access: AccessContext | null): Promise<SlaStatusView> {
    const serving = await this.served();
    const manifest = this.table.manifest;
    const sla = this.product.sla;
    const target = sla.freshnessMs === undefined ? null : Math.round(sla.freshnessMs / 1000);
    const completenessTarget = sla.completeness ?? null;
    if (!serving || !manifest)
      return {
        lastUpdated: null,
        ageSeconds: null,
        freshnessTargetSeconds: target,
        fresh: null,
        completeness: null,
        completenessTarget,
        testsPassed: null,
        ok: false,
        problems: ['no version of it is served'],
      };
    const record = await this.record(serving, 'versions');
    const age = Math.max(0, Math.floor((this.now() - Date.parse(manifest.dataAsOf)) / 1000));
    const fresh = target === null ? null : age <= target;
    const completeness = completenessOf(this.product, record);
    const testsPassed = record ? record.tests.failed === 0 : null;
    const problems: string[] = [];
    if (fresh === false) problems.push(`its data is ${span(age)} old; the SLA promises at most ${span(target!)}`);
    if (completeness !== null && completenessTarget !== null && completeness < completenessTarget)
      problems.push(
        this.rowFiltered(access)
          ? `fewer of its required values are present than the SLA promises (${percent(completenessTarget)})`
          : `${percent(completeness)} of its required values are present; the SLA promises ${percent(completenessTarget)}`,
      );
    if (testsPassed === false) problems.push(`${record!.tests.failed} contract test(s) of the served version failed`);
    return {
      lastUpdated: manifest.dataAsOf,
      ageSeconds: age,
      freshnessTargetSeconds: target,
      fresh,
      // The share is of every row: a caller with a row policy gets the verdict (ok, problems), not the figure.
      completeness: this.rowFiltered(access) ? null : completeness,
      completenessTarget,
      testsPassed,
      ok: problems.length === 0,
      problems,
    };
  }
}
