/**
 * Parses a declaration through its zod schema and, when it is refused, parses it again with each
 * refused part replaced by a placeholder (or removed, so its default applies): every problem is
 * reported from the first parse, and the placeholders let the rest of the declaration be read and
 * checked in the same run. What comes out of a repaired parse is only ever a partial value.
 */
import type { z } from 'zod';
import type { DeclarationProblem } from '../errors.js';
import { zodProblems } from '../descriptor/zodProblems.js';

/** The placeholder for a refused value at `path` (given the value found there), or undefined to remove it. */
export type Placeholder = (path: readonly PropertyKey[], value: unknown) => unknown;

type Node = Record<PropertyKey, unknown> | unknown[];
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null;

/** Replaces or removes the value at `path` in place; false when the path does not lead inside the document. */
function repair(doc: unknown, path: readonly PropertyKey[], placeholder: Placeholder): boolean {
  if (path.length === 0) return false;
  let node: unknown = doc;
  for (const key of path.slice(0, -1)) {
    if (!isNode(node)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  if (!isNode(node)) return false;
  const last = path[path.length - 1]!;
  const found = (node as Record<PropertyKey, unknown>)[last];
  const value = placeholder(path, found);
  if (value === undefined) {
    if (Array.isArray(node)) return false;
    delete (node as Record<PropertyKey, unknown>)[last];
  } else (node as Record<PropertyKey, unknown>)[last] = value;
  return true;
}

/** Every problem of `input` against `schema`, and the value read with placeholders for the refused parts (when it could be). */
export function parseCollecting<T extends z.ZodType>(
  file: string,
  schema: T,
  input: unknown,
  placeholder: Placeholder,
): { readonly problems: DeclarationProblem[]; readonly data?: z.infer<T>; readonly repaired: boolean } {
  const first = schema.safeParse(input);
  if (first.success) return { problems: [], data: first.data, repaired: false };
  const problems = zodProblems(file, first.error);
  let doc: unknown = structuredClone(input);
  let error = first.error;
  // A placeholder can itself be refused (a wrong type inside an optional attribute removed, then its default): a few rounds settle it.
  for (let round = 0; round < 3; round++) {
    if (!error.issues.every((issue) => repair(doc, issue.path, placeholder))) return { problems, repaired: true };
    const again = schema.safeParse(doc);
    if (again.success) return { problems, data: again.data, repaired: true };
    error = again.error;
    doc = structuredClone(doc);
  }
  return { problems, repaired: true };
}
