/** Turns zod issues into declaration problems that name the file, the path and what was expected. */
import type { z } from 'zod';
import type { DeclarationProblem } from '../errors.js';

/** Formats a zod issue path as `outputs[0].format`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Converts every zod issue into a {@link DeclarationProblem} for `file`. */
export function zodProblems(file: string, error: z.ZodError, prefix = ''): DeclarationProblem[] {
  return error.issues.map((issue) => {
    const inner = issuePath(issue.path);
    return { file, path: prefix && inner ? `${prefix}.${inner}` : prefix || inner, message: issue.message };
  });
}
