/**
 * Watches the declarations folder (MESHGATE_RELOAD=on) and calls back once a burst of changes has
 * settled: an editor's save is often several events (a temporary file, a rename), and a `git pull`
 * many. Calls never overlap: changes during one are handled by the next.
 */
import { watch } from 'node:fs';

/** A running watcher. */
export interface FolderWatcher {
  close(): void;
}

/** Calls `onChange` `debounceMs` after the last change under `dir` (recursively). */
export function watchFolder(dir: string, onChange: () => Promise<void>, log: (line: string) => void, debounceMs = 300): FolderWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = onChange()
      .catch((error: unknown) => log(`reloading the declarations failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const watcher = watch(dir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
    timer.unref();
  });
  watcher.on('error', (error) => log(`watching ${dir} for declaration changes stopped: ${error.message}`));
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
