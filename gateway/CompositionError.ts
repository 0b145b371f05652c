/** Thrown by `startGateway` when the subgraphs do not compose; `problems` lists each reason, and so does the message, one per line. */
export class CompositionError extends Error {
  override readonly name = 'CompositionError';
  readonly code = 'ERR_COMPOSITION';
  constructor(readonly problems: readonly string[]) {
    super(`The subgraphs do not compose:\n${problems.join('\n')}`);
  }
}
