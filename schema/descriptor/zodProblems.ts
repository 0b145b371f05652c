/** Turns zod issues into declaration problems that name the file, the path and what was expected. */
import type { z } from 'zod';
import type { DeclarationProblem } from '../errors.js';

/** Formats a zod issue path as `outputs[0].format`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** A required attribute that is absent says what to add, not what zod received (`missing: add "owner" (a string)`). */
function messageOf(issue: z.core.$ZodIssue): string {
  const missing = issue.code === 'invalid_type' && /received undefined$/.exec(issue.message);
  if (!missing) return issue.message;
  const key = issue.path[issue.path.length - 1];
  return `missing: add ${typeof key === 'string' ? `"${key}"` : 'it'} (${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`})`;
}

/** Converts every zod issue into a {@link DeclarationProblem} for `file`. */
export function zodProblems(file: string, error: z.ZodError, prefix = ''): DeclarationProblem[] {
  return error.issues.map((issue) => {
    const inner = issuePath(issue.path);
    return { file, path: prefix && inner ? `${prefix}.${inner}` : prefix || inner, message: messageOf(issue) };
  });
}
