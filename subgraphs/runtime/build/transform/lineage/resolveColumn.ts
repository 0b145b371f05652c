/**
 * Resolves a column reference against the scopes it can see, as DuckDB's binder does: `a.b` is
 * column b of the table named a if there is one, else field b of column a; an unqualified name is a
 * column USING merged, else a column of exactly one table of the nearest FROM that has it, else an
 * earlier alias of the select list, else the same search one level out (a correlated subquery).
 *
 * The SQL is taken to be valid (a build runs it first): a name two tables both held would have
 * been refused as ambiguous, so a table known to hold it is the one. Only a table whose columns are
 * unknown leaves a doubt, and then the value says so instead of guessing.
 */
import { derive, findColumn, sameName, unknown, type Relation, type Scope, type Value } from './Value.js';

/** The value of the reference `names` (`column_names` in DuckDB's tree) in `scope`. */
export function resolveColumn(names: readonly string[], scope: Scope): Value {
  const [first, second] = names;
  if (first === undefined) return unknown('a column reference without a name');
  const table = second === undefined ? undefined : findRelation(first, scope);
  if (table && second !== undefined) {
    const column = findColumn(table, second);
    const value = column?.value ?? unknown(`${table.label} has no column "${second}" that the SQL shows`);
    return names.length > 2 ? derive([value], 'transform') : value;
  }
  const value = unqualified(first, scope);
  // A longer name past its column reads a field of a struct: a transformation of that column.
  return names.length > 1 ? derive([value], 'transform') : value;
}

/** The nearest table named `name`. */
function findRelation(name: string, scope: Scope): Relation | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const hit = s.relations.find((r) => sameName(r.name, name));
    if (hit) return hit;
  }
  return undefined;
}

/** The value of an unqualified name, from the nearest level that has it. */
function unqualified(name: string, scope: Scope): Value {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const merged = s.merged.find((c) => sameName(c.name, name));
    if (merged) return merged.value;
    const hits = s.relations.flatMap((r) => {
      const hit = findColumn(r, name);
      return hit ? [{ relation: r, ...hit }] : [];
    });
    const certain = hits.filter((h) => h.certain);
    if (certain.length > 0) return certain[0]!.value;
    const alias = s.aliases.find((c) => sameName(c.name, name));
    if (hits.length === 1 && !alias && !(s.parent && couldResolve(name, s.parent))) return hits[0]!.value;
    if (hits.length > 0) {
      const where = [...hits.map((h) => h.relation.label), ...(alias ? ['an alias of the select list'] : []), ...(hits.length === 1 && !alias ? ['an outer query'] : [])];
      return unknown(`"${name}" could be a column of ${where.join(' or ')}, and the SQL does not say which (qualify it)`);
    }
    if (alias) return alias.value;
  }
  return unknown(`"${name}" is not a column of any table in scope that the SQL shows`);
}

/** Whether some level of `scope` may hold `name`. */
function couldResolve(name: string, scope: Scope): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.merged.some((c) => sameName(c.name, name)) || s.aliases.some((c) => sameName(c.name, name))) return true;
    if (s.relations.some((r) => findColumn(r, name))) return true;
  }
  return false;
}
