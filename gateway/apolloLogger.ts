import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { Log } from '../schema/index.js';

/** The logger interface Apollo Server and Apollo Gateway accept. */
export type ApolloLogger = NonNullable<ApolloServerOptions<BaseContext>['logger']>;

/** Adapts the gateway's `log` to Apollo's logger: warnings and errors pass through, debug and info chatter is dropped. */
export function apolloLogger(log: Log): ApolloLogger {
  const quiet = (): void => undefined;
  return {
    debug: quiet,
    info: quiet,
    warn: (message: unknown) => log(`apollo warning: ${String(message)}`, { level: 'warn' }),
    error: (message: unknown) => log(`apollo error: ${String(message)}`, { level: 'error' }),
  };
}
