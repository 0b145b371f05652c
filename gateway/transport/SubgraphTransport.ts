/**
 * How the gateway reaches a subgraph: a deployment sends HTTP (httpTransport.ts); the embedded mesh
 * of `npm start` hands the request to the subgraph in the same process, with no socket and no JSON
 * round trip (the composition root wires the subgraph's own handler behind this interface, so the
 * gateway never imports a subgraph). Either way the subgraph gets the same headers, and with them
 * the same signed access context to verify.
 */

/** One GraphQL request to a subgraph. */
export interface SubgraphRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string;
  /** Every header the subgraph gets (the request id and the signed access context among them), names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A subgraph's answer: its HTTP status and its body, parsed (a GraphQL response when all went well; a text when it was not JSON). */
export interface SubgraphReply {
  readonly status: number;
  readonly body: unknown;
  /** The hash of the schema the subgraph says it serves (its `x-meshgate-schema-hash` header, or the in-process reply's field), when it says. */
  readonly schemaHash?: string;
}

/** What a subgraph's readiness endpoint says about it (GET /readyz on its port). */
export interface SubgraphReadiness {
  readonly schemaHash?: string;
}

/** Sends requests to one subgraph. */
export interface SubgraphTransport {
  /** Resolves to the subgraph's reply; rejects with a {@link TransportError}, or an `AbortError` once `signal` aborts. */
  send(request: SubgraphRequest, signal: AbortSignal): Promise<SubgraphReply>;
  /** Asks the subgraph's readiness endpoint once (a deployment's transport; the in-process one has none). */
  readiness?(signal: AbortSignal): Promise<SubgraphReadiness>;
  /** Releases what the transport holds (idle sockets). */
  close?(): void;
}

/**
 * Why a request got no usable reply: nobody answered at the address (refused, reset, cut off), the
 * answer could not be read, or every replica's circuit breaker is open.
 */
export type TransportFailure = 'unreachable' | 'bad_response' | 'circuit_open';

/** A request that got no usable reply, and why. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
