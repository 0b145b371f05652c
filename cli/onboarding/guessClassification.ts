/**
 * Guesses a column's privacy classification from its name and a sample of its values, for `meshgate
 * init`. A guess is only ever a starting point: the scaffold marks each one for a person to confirm.
 * The reasons name what was seen (how many values matched), never a value: sampled values may be PII.
 */
import type { Classification } from '../../schema/index.js';

/** A guessed classification and why, in words the scaffold writes beside it. */
export interface Guess {
  readonly classification: Classification;
  readonly reason: string;
}

/** Whether a digit string passes the Luhn check card numbers carry. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** What each PII class's values look like, tested one value at a time. */
const VALUE_TESTS: readonly { readonly classification: Classification; readonly looks: string; readonly test: (v: string) => boolean }[] = [
  { classification: 'email', looks: 'email addresses', test: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v) },
  {
    classification: 'pan',
    looks: 'card numbers (they pass the Luhn check)',
    test: (v) => {
      const digits = v.replace(/[\s-]/g, '');
      return /^\d{13,19}$/.test(digits) && luhn(digits);
    },
  },
  { classification: 'ip-address', looks: 'IP addresses', test: (v) => IPV4.test(v) || (/^[0-9a-f:]+$/i.test(v) && (v.includes('::') || v.split(':').length === 8)) },
  { classification: 'phone', looks: 'phone numbers', test: (v) => /^\+\d[\d\s().-]{6,}$/.test(v) || /^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$/.test(v) },
];

/** What column names of each PII class look like. */
const NAME_TESTS: readonly { readonly classification: Classification; readonly looks: string; readonly test: RegExp }[] = [
  { classification: 'email', looks: 'email addresses', test: /e_?mail/ },
  { classification: 'phone', looks: 'phone numbers', test: /(^|_)(phone|mobile|tel|telephone|msisdn)(_|$)/ },
  { classification: 'pan', looks: 'card numbers', test: /(^|_)(card_?(number|no|num)?|pan|cc_?(number|num))(_|$)/ },
  { classification: 'ip-address', looks: 'IP addresses', test: /(^|_)ip(_?address)?(_|$)|(^|_)ip(v4|v6)(_|$)/ },
  { classification: 'date-of-birth', looks: 'dates of birth', test: /(^|_)(dob|birth_?date|date_of_birth|birthday)(_|$)/ },
  { classification: 'name', looks: "people's names", test: /^(name|(first|last|full|given|family|middle|sur|customer|person|contact|user)_?name)$/ },
  { classification: 'address', looks: 'postal addresses', test: /(^|_)(address|street|postcode|postal_code|zip(_?code)?)(_|$)/ },
  { classification: 'person-id', looks: 'national identifiers', test: /(^|_)(ssn|passport(_?(no|number))?|national_id|tax_id|social_security)(_|$)/ },
  { classification: 'free-text', looks: 'free text people write', test: /(^|_)(comment|comments|note|notes|remarks|message|free_text)(_|$)/ },
];

/** Guesses the classification of `column` from its name and its sampled text values (none for a non-text column or without data). */
export function guessClassification(column: string, values: readonly string[] | undefined): Guess {
  const name = column.toLowerCase();
  const sampled = values ?? [];
  if (sampled.length > 0) {
    for (const t of VALUE_TESTS) {
      const matched = sampled.filter(t.test).length;
      // Most, not all: a sample holds typos and test rows too.
      if (matched / sampled.length >= 0.8)
        return { classification: t.classification, reason: `${t.classification}: ${matched} of ${sampled.length} sampled values look like ${t.looks}` };
    }
  }
  const byName = NAME_TESTS.find((t) => t.test.test(name));
  if (byName) return { classification: byName.classification, reason: `${byName.classification}: the column name "${column}" suggests ${byName.looks}` };
  const best = VALUE_TESTS.map((t) => ({ t, matched: sampled.filter(t.test).length })).sort((a, b) => b.matched - a.matched)[0];
  if (best && best.matched > 0)
    return {
      classification: 'none',
      reason: `none: the column name "${column}" suggests no personal data, but ${best.matched} of ${sampled.length} sampled values look like ${best.t.looks} (too few to guess ${best.t.classification}); check it is not PII`,
    };
  const seen =
    values === undefined
      ? "no values were sampled (only a Parquet file's text columns are)"
      : `none of ${sampled.length} sampled values looks like an email address, phone number, card number or IP address`;
  return { classification: 'none', reason: `none: the column name "${column}" suggests no personal data and ${seen}; check it is not PII` };
}
