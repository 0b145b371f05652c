/** Name conversions between the contract's snake_case / kebab-case / PascalCase and GraphQL's conventions. */
import pluralize from 'pluralize';

/**
 * The words of a name, split at separators and at case changes, so `ShipmentEvent`, `shipment_event`
 * and `shipment-event` all read as `shipment event`; a run of capitals is one word (`IPAddress` → `IP
 * Address`).
 */
export function words(name: string): string[] {
  return (
    name
      .split(/[-_\s]+/)
      // Digits stay with their word (`b2b_flag` → `b2b flag`, as camelCase always read it).
      .flatMap((part) =>
        part
          .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
          .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
          .split(' '),
      )
      .filter((w) => w.length > 0)
  );
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** `total_amount` → `totalAmount`, `customer-profiles` → `customerProfiles`, `ShipmentEvents` → `shipmentEvents`. */
export function camelCase(name: string): string {
  const [first = '', ...rest] = words(name);
  return first.toLowerCase() + rest.map(capitalize).join('');
}

/** `access_events` → `AccessEvents`, `shipmentEvent` → `ShipmentEvent`. */
export function pascalCase(name: string): string {
  return words(name).map(capitalize).join('');
}

/** `ORDER_ID` style, for enum values: `totalAmount` → `TOTAL_AMOUNT`. */
export function screamingSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toUpperCase();
}

/** The name with its last word changed, keeping the rest and the word's case: `ShipmentEvent` → `ShipmentEvents`. */
function lastWord(name: string, change: (word: string) => string): string {
  const last = /([A-Z]?[a-z]+|[A-Z]+|[0-9]+)$/.exec(name);
  if (!last) return name;
  return name.slice(0, last.index) + change(last[0]);
}

/**
 * English plural of a name's last word, from the pluralize library (irregular and Latin plurals
 * included): `Customer` → `Customers`, `Person` → `People`, `Analysis` → `Analyses`.
 */
export function plural(word: string): string {
  return lastWord(word, (w) => pluralize.plural(w));
}

/** English singular of a name's last word: `customers` → `customer`, `categories` → `category`, `people` → `person`. */
export function singular(word: string): string {
  return lastWord(word, (w) => pluralize.singular(w));
}

/**
 * The list field a type name gets when the contract sets no `graphqlField`: the camelCase plural,
 * or `<name>List` when the word has no plural (`CustomerData`), as the by-key field already uses
 * the singular.
 */
export function listFieldName(typeName: string): string {
  const one = camelCase(typeName);
  const many = camelCase(plural(typeName));
  return many === one ? `${one}List` : many;
}

/** A valid GraphQL name: letters, digits and underscores, not starting with a digit. */
export const GRAPHQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
