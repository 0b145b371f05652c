/**
 * Hot reload of declarations (MESHGATE_RELOAD=on): watches MESHGATE_SUBGRAPHS_DIR, and after a
 * change settles, loads the whole mesh again exactly as at start (loadMesh: every descriptor and
 * contract validated, references checked) and hands it to each running subgraph, which builds its
 * new schema and swaps it in. New declarations that lose a domain the running mesh serves (a broken
 * descriptor or contract leaves its domain out) are refused whole: every subgraph keeps serving what
 * it serves, so no link between domains is dropped without a word.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { formatProblem, type Mesh } from '../../schema/index.js';
import type { RunningSubgraph, SubgraphReload } from '../../subgraphs/runtime/index.js';
import type { Config } from '../config.js';
import { loadServedMesh } from './loadServedMesh.js';

/** One settled change: the mesh now served (the new one, or the previous one if refused) and what each subgraph did. */
export interface MeshReload {
  readonly mesh: Mesh;
  readonly events: readonly SubgraphReload[];
}

/** A running watch. */
export interface DeclarationWatch {
  /** Resolves once the reload under way (if any) is done. */
  settled(): Promise<void>;
  close(): void;
}

/** Files whose change may change a declaration: descriptors and contracts (Avro `.avsc`, ODCS YAML or JSON). */
const DECLARATION = /\.(ya?ml|avsc|json)$/i;

/** Why `next` is refused, or undefined when every domain served before is still there. */
function refusal(current: Mesh, next: Mesh, subgraphsDir: string): string | undefined {
  const lost = current.domains.map((d) => d.name).filter((d) => !next.domains.some((n) => n.name === d));
  if (lost.length === 0) return undefined;
  const inLost = next.problems.filter((p) => lost.some((d) => path.resolve(subgraphsDir, p.file).startsWith(path.join(path.resolve(subgraphsDir), d) + path.sep)));
  const problems = (inLost.length > 0 ? inLost : next.problems).map(formatProblem);
  return `${problems.join('; ') || `domain ${lost.join(', ')} no longer loads`} (domain ${lost.join(', ')} would be left out)`;
}

/**
 * Watches the declarations of `subgraphs` (starting from `mesh`, the one they serve) and reloads
 * them on a change, `debounceMs` after the last event; `onReload` hears every settled change.
 */
export function watchDeclarations(
  config: Config,
  subgraphs: readonly RunningSubgraph[],
  mesh: Mesh,
  log: (line: string) => void,
  onReload: (reload: MeshReload) => void = () => undefined,
  debounceMs = 300,
): DeclarationWatch {
  let current = mesh;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let again = false;
  let busy = false;
  const refuse = (reason: string): void => {
    log(`reload refused: ${reason}; the previous declarations keep serving`);
    onReload({ mesh: current, events: subgraphs.map((sg) => sg.refuseReload(reason)) });
  };
  const reload = async (): Promise<void> => {
    let next: Mesh;
    try {
      next = await loadServedMesh(config, () => undefined);
    } catch (error) {
      return refuse(`the declarations cannot be read: ${(error as Error).message}`);
    }
    const refused = refusal(current, next, config.MESHGATE_SUBGRAPHS_DIR);
    if (refused !== undefined) return refuse(refused);
    const events: SubgraphReload[] = [];
    for (const sg of subgraphs) events.push(await sg.reload(next));
    if (events.every((e) => e.kind !== 'refused')) current = next;
    onReload({ mesh: current, events });
  };
  const run = (): void => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    running = reload()
      .catch((error: unknown) => log(`reload failed: ${(error as Error).message}`))
      .finally(() => {
        busy = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(config.MESHGATE_SUBGRAPHS_DIR, { recursive: true, persistent: false }, (_event, file) => {
      if (file !== null && !DECLARATION.test(file)) return;
      clearTimeout(timer);
      timer = setTimeout(run, debounceMs);
    });
    watcher.on('error', (error) => log(`reload: watching ${config.MESHGATE_SUBGRAPHS_DIR} stopped: ${error.message}`));
  } catch (error) {
    log(`reload: cannot watch ${config.MESHGATE_SUBGRAPHS_DIR} (${(error as Error).message}); declarations are not reloaded`);
  }
  return {
    settled: () => running,
    close: () => {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
