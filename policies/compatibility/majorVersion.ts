/**
 * Major versions: a product `<name>-v2` (or one whose output is `...-v2`, or one a deprecated
 * product names as its `successor`) may break compatibility with its predecessor, but only while
 * the predecessor keeps being served: `status: deprecated`, `successor: <the new product>` and a
 * `sunset` date. Otherwise its breaking changes are violations like any other.
 */
import type { DataProduct } from '../../schema/index.js';
import type { Finding } from '../governance/Finding.js';
import { strictestMode } from './compatibilityTable.js';
import { compareContracts } from './compareContracts.js';

const MAJOR = /^(.*)-v(\d+)$/;

/** The product `product` replaces: the one naming it as successor, else `<stem>` / `<stem>-v(N-1)` by name or output. */
export function predecessorOf(product: DataProduct, served: ReadonlyMap<string, DataProduct>): DataProduct | undefined {
  const others = [...served.values()].filter((p) => p.name !== product.name);
  const named = others.find((p) => p.successor === product.name);
  if (named) return named;
  const output = product.outputs.find((o) => o.format.toLowerCase() === 'parquet')?.name ?? '';
  const m = MAJOR.exec(product.name) ?? MAJOR.exec(output);
  if (!m || Number(m[2]) < 2) return undefined;
  const [stem, n] = [m[1]!, Number(m[2])];
  const candidates = [n === 2 ? stem : `${stem}-v${n - 1}`, `${stem}-v1`, stem];
  return candidates.map((c) => others.find((p) => p.name === c)).find((p) => p !== undefined);
}

/** Whether `predecessor` is deprecated in favour of `successor`, with a sunset: what lets the successor break. */
export function isHandedOver(predecessor: DataProduct, successor: DataProduct): boolean {
  return predecessor.status === 'deprecated' && predecessor.successor === successor.name && predecessor.sunset !== undefined;
}

/** Compares a new major version with its predecessor: warnings while the hand-over is declared, violations otherwise. */
export function majorVersionFindings(predecessor: DataProduct, successor: DataProduct, file?: string): Finding[] {
  const mode = strictestMode(predecessor.contract.compatibility, successor.contract.compatibility);
  const findings = compareContracts(predecessor.contract, successor.contract, mode, { product: successor.name, ...(file !== undefined && { file }) });
  if (isHandedOver(predecessor, successor)) {
    const note = `allowed: ${successor.name} is a new major version of ${predecessor.name}, which stays served until its sunset ${predecessor.sunset}`;
    const summary: Finding = {
      rule: 'major-version',
      severity: 'warning',
      product: successor.name,
      ...(file !== undefined && { file }),
      message: `${successor.name} is a new major version of ${predecessor.name} (deprecated, sunset ${predecessor.sunset}); ${findings.filter((f) => f.severity === 'violation').length} breaking change(s) allowed while both are served`,
      fix: `Keep serving ${predecessor.name} until ${predecessor.sunset}, and tell its consumers to move to ${successor.name}.`,
    };
    return [summary, ...findings.map((f) => (f.severity === 'violation' ? { ...f, severity: 'warning' as const, message: `${f.message} (${note})`, fix: summary.fix } : f))];
  }
  const missing = `${predecessor.name} is not marked deprecated with successor ${successor.name} and a sunset date`;
  return findings.map((f) =>
    f.severity === 'violation'
      ? {
          ...f,
          message: `${f.message} (${successor.name} replaces ${predecessor.name}, but ${missing})`,
          fix: `Mark ${predecessor.name} "status: deprecated", "successor: ${successor.name}" and "sunset: YYYY-MM-DD" in its descriptor, and keep serving it until then.`,
        }
      : f,
  );
}
