/**
 * Hive Gateway's configuration for the bench (`hive-gateway supergraph FILE --config-path` this
 * file): the one setting it needs is to pass the access context the client sends
 * (`x-meshgate-context`, signed by the bench the way meshgate's gateway signs it) on to every
 * subgraph, since meshgate's subgraphs refuse a request without one. Everything else is Hive's
 * default, including its merging of identical in-flight subgraph requests.
 */
const CONTEXT_HEADER = 'x-meshgate-context';

export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const context = request.headers.get(CONTEXT_HEADER);
      return context ? { [CONTEXT_HEADER]: context } : {};
    },
  },
};
