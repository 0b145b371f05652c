/**
 * The soak (`--only soak`, opt-in: it runs for minutes): mixed load (look-ups, pages, aggregates,
 * joins and the masked-PII page, request by request in turn) against the production shape, meshgate
 * full over one process per subgraph, for `--duration` seconds (default 600), while every process's
 * resident memory is sampled from /proc every few seconds. Each process's RSS curve is reported
 * against a stated bound, and growth is flagged from the slope of the curve's last half (a leak keeps
 * climbing after warm-up; caches and pools level off).
 */
import { performance } from 'node:perf_hooks';
import type { BenchAccess } from './benchAccess.js';
import type { Floor } from './floor.js';
import { failureCount, httpLoad } from './httpLoad.js';
import { processMemory } from './processMemory.js';
import type { StartContext } from './processes.js';
import { MASKED_PII, requestBody, SCENARIOS, type GatewayScenario } from './scenarios.js';
import { startTargets } from './targets.js';

/** The soak's RSS bounds at scale 1, MiB: what a process of each role may reach. */
export const SOAK_BOUNDS_MIB = Object.freeze({ gateway: 400, subgraph: 600, mesh: 900 });
/** Growth over the curve's last half above this share of the bound per minute is flagged (0.5%: 2 MiB/min for the gateway). */
export const GROWTH_FLAG_PER_MIN = 0.005;
/** Seconds between RSS samples. */
const SAMPLE_EVERY_S = 5;
/** Seconds of each load chunk (throughput is reported per chunk). */
const CHUNK_S = 30;
const CONNECTIONS = 8;
/** The mix, one request of each in turn. */
const MIX: readonly GatewayScenario[] = [...SCENARIOS, MASKED_PII];

/** One process's memory over the soak. */
export interface SoakProcess {
  readonly label: string;
  readonly role: 'gateway' | 'subgraph' | 'mesh';
  readonly boundMiB: number;
  /** [seconds since the load started, RSS MiB]. */
  readonly curve: readonly (readonly [number, number])[];
  readonly startMiB: number;
  readonly peakMiB: number;
  readonly endMiB: number;
  /** Least-squares slope of the curve's last half, MiB per minute. */
  readonly lastHalfSlopeMiBPerMin: number;
  readonly withinBound: boolean;
  readonly growing: boolean;
}

/** The soak's report. */
export interface SoakReport {
  readonly scale: number;
  readonly durationS: number;
  readonly connections: number;
  readonly requests: number;
  readonly errors: number;
  /** Successful requests per second in each load chunk. */
  readonly reqPerSecond: readonly number[];
  readonly processes: readonly SoakProcess[];
}

/** Least-squares slope of `points` (x in seconds), per minute. */
export function slopePerMinute(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx === 0 ? 0 : (sxy / sxx) * 60;
}

/** What the soak needs from the bench: the start context, the callers, the floor's inputs. */
export interface SoakSetup {
  readonly scale: number;
  readonly durationS: number;
  readonly ctx: StartContext;
  readonly access: BenchAccess;
  readonly floor: Floor;
  readonly scratchDir: string;
}

/** Runs the soak against meshgate full; stops its processes before resolving. */
export async function runSoak(setup: SoakSetup): Promise<SoakReport> {
  const { ctx, access, floor, durationS } = setup;
  const started = await startTargets(['full'], { ctx, access, floors: { configured: floor }, scratchDir: setup.scratchDir });
  try {
    const target = started.targets.get('full')!;
    const procs = target.procs(SCENARIOS[0]!);
    const curves = new Map(procs.map((p) => [p.child.pid, [] as [number, number][]]));
    const t0 = performance.now();
    const sample = async (): Promise<void> => {
      const at = (performance.now() - t0) / 1000;
      for (const p of procs) {
        const m = await processMemory(p.child.pid);
        if (m) curves.get(p.child.pid)!.push([at, m.rssMiB]);
      }
    };
    await sample();
    let sampling = Promise.resolve();
    const timer = setInterval(() => void (sampling = sampling.then(sample)), SAMPLE_EVERY_S * 1000);
    const headers = await target.headers('owner');
    const reqPerSecond: number[] = [];
    let requests = 0;
    let errors = 0;
    try {
      ctx.log(`-- soak: ${durationS} s of mixed load (${MIX.map((s) => s.id).join(', ')}) on meshgate full, ${CONNECTIONS} connections, RSS every ${SAMPLE_EVERY_S} s`);
      for (let done = 0; done < durationS; done += CHUNK_S) {
        const chunk = Math.min(CHUNK_S, durationS - done);
        const run = await httpLoad({
          url: target.url(SCENARIOS[0]!),
          body: (i) => requestBody(MIX[i % MIX.length]!, 'gateway', Math.floor(i / MIX.length), floor.inputs),
          rotating: true,
          headers,
          connections: CONNECTIONS,
          durationS: chunk,
          first: requests,
        });
        requests += run.started;
        errors += failureCount(run.failures);
        reqPerSecond.push(Math.round(run.measurement.reqPerSec));
        const last = procs.map((p) => `${p.name} ${curves.get(p.child.pid)!.at(-1)?.[1].toFixed(0) ?? '?'}`).join(', ');
        ctx.log(`  ${done + chunk} s: ${Math.round(run.measurement.reqPerSec)} req/s, RSS MiB ${last}${run.failures.sample ? `; failure: ${run.failures.sample}` : ''}`);
      }
    } finally {
      clearInterval(timer);
      await sampling;
    }
    await sample();
    const processes = procs.map((p): SoakProcess => {
      const curve = curves.get(p.child.pid)!;
      const boundMiB = SOAK_BOUNDS_MIB[p.role];
      const rss = curve.map(([, y]) => y);
      const lastHalfSlopeMiBPerMin = slopePerMinute(curve.filter(([x]) => x >= durationS / 2));
      const peakMiB = Math.max(...rss, 0);
      return {
        label: p.child.label,
        role: p.role,
        boundMiB,
        curve: curve.map(([x, y]) => [Math.round(x), +y.toFixed(1)] as const),
        startMiB: rss[0] ?? 0,
        peakMiB,
        endMiB: rss.at(-1) ?? 0,
        lastHalfSlopeMiBPerMin: +lastHalfSlopeMiBPerMin.toFixed(2),
        withinBound: peakMiB <= boundMiB,
        growing: lastHalfSlopeMiBPerMin > GROWTH_FLAG_PER_MIN * boundMiB,
      };
    });
    return { scale: setup.scale, durationS, connections: CONNECTIONS, requests, errors, reqPerSecond, processes };
  } finally {
    await started.stop();
  }
}

/** The soak as lines of the printed report. */
export function formatSoak(soak: SoakReport): string {
  const rate = soak.reqPerSecond.length ? `${Math.min(...soak.reqPerSecond)}-${Math.max(...soak.reqPerSecond)} req/s per ${CHUNK_S} s` : 'no load';
  const lines = [
    `soak at scale ${soak.scale}: ${soak.durationS} s of mixed load through meshgate full, ${soak.connections} connections, ${soak.requests.toLocaleString('en-US')} requests, ${soak.errors} errors (${rate})`,
    '  process                          start  peak   end MiB  bound  last-half slope',
  ];
  for (const p of soak.processes) {
    const verdict = `${p.withinBound ? 'PASS' : 'FAIL'}${p.growing ? ' GROWING' : ''}`;
    lines.push(
      `  ${verdict.padEnd(12)} ${p.label.padEnd(28).slice(0, 28)} ${p.startMiB.toFixed(0).padStart(5)} ${p.peakMiB.toFixed(0).padStart(5)} ${p.endMiB.toFixed(0).padStart(5)}   ≤${p.boundMiB}  ${p.lastHalfSlopeMiBPerMin >= 0 ? '+' : ''}${p.lastHalfSlopeMiBPerMin} MiB/min`,
    );
  }
  lines.push(`  (GROWING: the last half climbs faster than ${GROWTH_FLAG_PER_MIN * 100}% of the bound per minute; the JSON has every curve)`);
  return lines.join('\n');
}
