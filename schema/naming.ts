/** Name conversions between the contract's snake_case / kebab-case and GraphQL's conventions. */

/** `total_amount` → `totalAmount`, `customer-profiles` → `customerProfiles`. */
export function camelCase(name: string): string {
  return name.toLowerCase().replace(/[-_ ]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `access_events` → `AccessEvents`. */
export function pascalCase(name: string): string {
  const c = camelCase(name);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** `ORDER_ID` style, for enum values: `totalAmount` → `TOTAL_AMOUNT`. */
export function screamingSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toUpperCase();
}

/** English plural of a type name, good enough for generated field names: `Customer` → `Customers`. */
export function plural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** English singular: `customers` → `customer`, `categories` → `category`. */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** A valid GraphQL name: letters, digits and underscores, not starting with a digit. */
export const GRAPHQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
