/** A domain's recurring job (a transform it owns), which the process serving the domain runs on a timer. */

/** What a job may use. */
export interface DomainJobEnv {
  /** The mesh's data root (the domain's outputs live below it). */
  readonly dataRoot: string;
  /** The access log's directory: every gateway replica's chain (schema/accessLog/segments.ts) and the inbox. */
  readonly accessLogDir: string;
  readonly log: (line: string) => void;
}

/** One job: `subgraphs/<domain>/jobs.ts` exports `jobs: readonly DomainJob[]`. */
export interface DomainJob {
  readonly name: string;
  readonly everyMs: number;
  run(env: DomainJobEnv): Promise<void>;
}
