/**
 * What `meshgate init` guessed (a classification, a key, an order) is marked in the scaffolded
 * contract with a `<what>Guessed` attribute saying why; such a contract is refused until a person
 * has confirmed each guess and deleted its mark, as a wrong "none" would serve PII unmasked.
 */
import type { DeclarationProblem } from '../errors.js';

/** The marks init writes, with what confirming each means. */
export const GUESS_MARKS: Readonly<Record<string, string>> = {
  classificationGuessed: 'confirm the classification (or correct it) and delete classificationGuessed',
  keyGuessed: 'confirm "key": true on the column that identifies a row (or move it) and delete keyGuessed',
  orderGuessed: 'confirm the record\'s "order" (the columns rows are sorted by) and delete orderGuessed',
};

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every unconfirmed guess of an Avro schema, nested records' fields included. */
export function guessProblems(file: string, json: unknown): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  const visitType = (type: unknown, at: string): void => {
    if (Array.isArray(type)) type.forEach((t, i) => visitType(t, `${at}[${i}]`));
    else if (isNode(type)) {
      if (type.type === 'record') visitRecord(type, at);
      else if (type.type === 'array') visitType(type.items, `${at}.items`);
    }
  };
  const visitMarks = (node: Node, at: string): void => {
    for (const [mark, confirm] of Object.entries(GUESS_MARKS)) {
      if (node[mark] === undefined) continue;
      const why = typeof node[mark] === 'string' ? ` (${node[mark]})` : '';
      problems.push({ file, path: at ? `${at}.${mark}` : mark, message: `guessed by meshgate init${why}: ${confirm}` });
    }
  };
  const visitRecord = (record: Node, at: string): void => {
    visitMarks(record, at);
    if (!Array.isArray(record.fields)) return;
    record.fields.forEach((f: unknown, i) => {
      if (!isNode(f)) return;
      const here = at ? `${at}.fields[${i}]` : `fields[${i}]`;
      visitMarks(f, here);
      visitType(f.type, `${here}.type`);
    });
  };
  if (isNode(json)) visitRecord(json, '');
  return problems;
}
