/**
 * What the GraphiQL page shows, decided once at start: the welcome tab (what it says follows what
 * the gateway offers), then the examples that validate against the graph the gateway serves (an
 * example is data written for the sample mesh; another mesh may not have its fields), and the
 * dev-token control in dev mode.
 */
import { parse, validate, type GraphQLSchema } from 'graphql';
import type { PolicyFile } from '../../policies/index.js';
import type { GraphiQLExample } from './examples.js';
import type { GraphiQLGuide } from './GraphiQLGuide.js';
import type { GraphiQLPageContent, GraphiQLTab } from './renderGraphiQLPage.js';
import { welcomeTab } from './welcomeTab.js';

/** The route the page asks for dev tokens. */
export const DEV_TOKEN_PATH = '/dev/token';

/** What the page is built from. */
export interface GraphiQLContentOptions {
  readonly endpoint: string;
  readonly guide?: GraphiQLGuide;
  /** The access policy; undefined when access control is off. */
  readonly policy?: PolicyFile;
  /** The API schema the gateway serves, to check the examples against. */
  readonly schema: GraphQLSchema;
  readonly log: (line: string) => void;
}

const BARE_WELCOME = 'query Welcome {\n  __typename\n}';

/** The first reason `example` does not run against `schema`, or undefined when it validates. */
export function exampleProblem(example: GraphiQLExample, schema: GraphQLSchema): string | undefined {
  try {
    return validate(schema, parse(example.query))[0]?.message;
  } catch (error) {
    return (error as Error).message;
  }
}

function usable(examples: readonly GraphiQLExample[], schema: GraphQLSchema, log: (line: string) => void): GraphiQLExample[] {
  return examples.filter((e) => {
    const problem = exampleProblem(e, schema);
    if (problem) log(`GraphiQL: the example "${e.title}" is left off the page, as it does not fit the served graph: ${problem}`);
    return !problem;
  });
}

const tabOf = (e: GraphiQLExample): GraphiQLTab => ({ query: `# ${e.title}\n\n${e.query}\n`, ...(e.variables && { variables: JSON.stringify(e.variables, null, 2) }) });

/** The page's tabs and controls for a gateway. */
export function graphiqlContent(options: GraphiQLContentOptions): GraphiQLPageContent {
  const { guide, schema, log } = options;
  const examples = guide ? usable(guide.examples, schema, log) : [];
  const welcome = guide?.welcome && usable([guide.welcome], schema, log).length ? `# ${guide.welcome.title}\n${guide.welcome.query}` : BARE_WELCOME;
  const devTokens = guide?.devTokens;
  const tab = welcomeTab({
    access: options.policy !== undefined,
    devTokens: devTokens !== undefined,
    ...(guide && options.policy && { policy: options.policy }),
    examples,
    query: welcome,
  });
  return {
    endpoint: options.endpoint,
    access: options.policy !== undefined,
    tabs: [{ query: tab }, ...examples.map(tabOf)],
    ...(devTokens && { devToken: { url: DEV_TOKEN_PATH, roles: devTokens.roles, purposes: devTokens.purposes } }),
  };
}
