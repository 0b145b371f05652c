/**
 * How deeply a parsed JSON value nests, measured without recursion and given up on as soon as it
 * passes a limit. A client's variables are walked recursively afterwards (graphql-js coerces them,
 * Apollo Gateway copies them into each subgraph call, the analyses read them), so a value nested
 * thousands deep could exhaust the stack there; it is refused here first, before any of that work.
 */

/** The deepest nesting of arrays and objects accepted in a request's variables or extensions: far beyond any filter a person writes (`where: {and: [{or: [...]}]}` is 2 levels per operator). */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests arrays and objects more than `max` levels deep. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
