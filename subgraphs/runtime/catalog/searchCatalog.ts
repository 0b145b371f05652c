/**
 * The catalog's search over every product's declaration, with MiniSearch: names, descriptions,
 * field names and descriptions, tags and owners, each weighted (a name match counts most, an owner
 * match least), with prefix matching and, for longer words, a little fuzziness. Every word of the
 * search must match somewhere. Built once at start: declarations change only with a restart.
 */
import MiniSearch from 'minisearch';
import { BadUserInputError, type ProductShape } from '../../../schema/index.js';
import { holdsPii } from './catalogEntry.js';

/** What `dataProducts` filters by, besides the search. */
export interface CatalogFilter {
  readonly search?: string | null;
  readonly domain?: string | null;
  readonly owner?: string | null;
  readonly tag?: string | null;
  readonly pii?: boolean | null;
}

interface Doc {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly fieldNames: string;
  readonly fieldDescriptions: string;
  readonly tags: string;
  readonly owner: string;
}

/** The longest search text. */
const MAX_SEARCH = 200;

const BOOST = { name: 6, tags: 3, fieldNames: 2, description: 1.5, fieldDescriptions: 1, owner: 1 } as const;

/** The search words of a camelCase or snake_case name, with the name itself: `fullName` → `fullName full Name`. */
const words = (name: string): string => `${name} ${name.replace(/([a-z0-9])([A-Z])/g, '$1 $2')}`;

/** A search index over a mesh's products. */
export class CatalogSearch {
  private readonly index = new MiniSearch<Doc>({
    fields: Object.keys(BOOST),
    searchOptions: { boost: BOOST, prefix: true, fuzzy: (term) => (term.length > 4 ? 0.2 : false), combineWith: 'AND' },
  });
  private readonly byName: ReadonlyMap<string, ProductShape>;

  constructor(readonly shapes: readonly ProductShape[]) {
    this.byName = new Map(shapes.map((s) => [s.product.name, s]));
    this.index.addAll(
      shapes.map((s) => ({
        id: s.product.name,
        name: `${s.product.name} ${s.typeName} ${s.listField}`,
        description: [s.product.description, s.product.contract.description].filter(Boolean).join(' '),
        fieldNames: s.fields.map((f) => `${f.field.name} ${words(f.name)}`).join(' '),
        fieldDescriptions: s.fields.map((f) => f.field.description ?? '').join(' '),
        tags: s.product.tags.join(' '),
        owner: s.product.owner,
      })),
    );
  }

  /** The products matching `filter` among those `visible` lets through: best match first with a search, else by domain and name. */
  find(filter: CatalogFilter, visible: (name: string) => boolean): ProductShape[] {
    const keep = (s: ProductShape): boolean =>
      visible(s.product.name) &&
      (!filter.domain || s.product.domain === filter.domain) &&
      (!filter.owner || s.product.owner === filter.owner) &&
      (!filter.tag || s.product.tags.includes(filter.tag)) &&
      (filter.pii === null || filter.pii === undefined || holdsPii(s) === filter.pii);
    const text = filter.search?.trim();
    if (text && text.length > MAX_SEARCH) throw new BadUserInputError(`search is at most ${MAX_SEARCH} characters, got ${text.length}.`);
    if (!text) return this.shapes.filter(keep).sort((a, b) => a.product.domain.localeCompare(b.product.domain) || a.product.name.localeCompare(b.product.name));
    return this.index
      .search(text)
      .map((r) => this.byName.get(String(r.id))!)
      .filter(keep);
  }
}
