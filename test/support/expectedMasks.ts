/**
 * Each mask of policies/masks/masks.ts written again in plain JavaScript, from its definition and
 * not from the runtime's SQL, so tests compute what a masked caller must see on their own: e.g. the
 * email mask of "anna.b@x.io" is "a***@x.io". A null stays null under every mask.
 */
import { createHash } from 'node:crypto';
import type { MaskName } from '../../policies/index.js';
import type { Value } from './referenceRows.js';

/** `redact`: any value becomes "***". */
export const redact = (_value: string): string => '***';

/** `email`: the first character of the local part, "***@", then the domain (what follows the first "@"). */
export function emailMask(value: string): string {
  const [local = '', domain = ''] = value.split('@');
  return `${Array.from(local)[0] ?? ''}***@${domain}`;
}

/** `last4`: every character but the last four becomes "*". */
export function last4(value: string): string {
  const chars = Array.from(value);
  return '*'.repeat(Math.max(chars.length - 4, 0)) + chars.slice(-4).join('');
}

/** `year`: a Date `YYYY-MM-DD` or DateTime `YYYY-MM-DDTHH:MM:SS.ffffffZ` becomes the first instant of its year. */
export function year(value: string): string {
  const y = value.slice(0, 4);
  return value.length > 10 ? `${y}-01-01T00:00:00.000000Z` : `${y}-01-01`;
}

/** `hash`: the first 16 hex digits of SHA-256 over the secret followed by the value (UTF-8), so equal values hash alike. */
export const hash = (value: string, secret: string): string =>
  createHash('sha256')
    .update(secret + value, 'utf8')
    .digest('hex')
    .slice(0, 16);

/** `round`: to the nearest 100, halves away from zero. */
export function round(value: number): number {
  const hundreds = Math.sign(value) * Math.round(Math.abs(value) / 100);
  return hundreds * 100 + 0;
}

/** What a caller sees of `value` through `mask`; `secret` is the keyed-hash secret. */
export function expectedMask(mask: MaskName, value: Value, secret = ''): Value {
  if (value === null || mask === 'null') return null;
  switch (mask) {
    case 'redact':
      return redact(String(value));
    case 'email':
      return emailMask(String(value));
    case 'last4':
      return last4(String(value));
    case 'year':
      return year(String(value));
    case 'hash':
      return hash(String(value), secret);
    case 'round':
      return round(Number(value));
  }
}

/** A row as a caller sees it: each field of `masks` through its mask, the others unchanged. */
export function maskRow<R extends Readonly<Record<string, Value>>>(row: R, masks: Readonly<Record<string, MaskName>>, secret = ''): Record<string, Value> {
  return Object.fromEntries(Object.entries(row).map(([field, value]) => [field, masks[field] ? expectedMask(masks[field], value, secret) : value]));
}
