/**
 * The embedded mesh's transport (MESHGATE_TRANSPORT=in-process, the default of `meshgate up`): the
 * gateway's subgraph calls go straight to the subgraph in the same process, through its own request
 * pipeline (the access context verified as over HTTP), without a socket or a JSON round trip. This
 * composition root is where the two meet: the gateway knows only the transport interface.
 */
import type { SubgraphTransport } from '../../gateway/index.js';
import type { RunningSubgraph } from '../../subgraphs/runtime/index.js';

const aborted = (signal: AbortSignal): Error => (signal.reason instanceof Error ? signal.reason : new DOMException('The call was aborted', 'AbortError'));

/** A transport handing each request to `subgraph` in process; a call past its time limit is answered as timed out (it runs to its end). */
export function inProcessTransport(subgraph: RunningSubgraph): SubgraphTransport {
  return {
    send(request, signal) {
      if (signal.aborted) return Promise.reject(aborted(signal));
      return new Promise((resolve, reject) => {
        const onAbort = (): void => reject(aborted(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        subgraph.handle(request).then(
          (reply) => {
            signal.removeEventListener('abort', onAbort);
            resolve(reply);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
  };
}
