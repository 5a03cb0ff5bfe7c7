/**
 * `cors-lens check --config cors.json`: many checks for a CI job. Each entry of `checks` names origins × URLs ×
 * methods with the request headers and the verdict each combination must get (docs/cli.md describes the format).
 * Parsing only: the checks are run by the CLI, one after the other.
 */
import type { HeaderLine } from '../model/exchange.js';
import { CHECK_KINDS, CheckInputError, type CheckKind } from './buildRequest.js';
import type { CheckCorsOptions, Expectation } from './checkCors.js';

export interface ConfiguredCheck {
  /** `checks[2] PUT https://api.example.com/items from https://app.example.com` */
  label: string;
  options: CheckCorsOptions;
  expect: Expectation;
}

const ENTRY_KEYS = new Set([
  'url', 'urls', 'origin', 'origins', 'method', 'methods', 'headers', 'credentials', 'cookie', 'contentType', 'body', 'kind', 'send', 'expect', 'name',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(entry: Record<string, unknown>, one: string, many: string, where: string, fallback?: string[]): string[] {
  const single = entry[one];
  const multiple = entry[many];
  if (single !== undefined && multiple !== undefined) throw new CheckInputError(`${where}: give "${one}" or "${many}", not both`);
  if (single !== undefined) {
    if (typeof single !== 'string' || single === '') throw new CheckInputError(`${where}: "${one}" must be a non-empty string`);
    return [single];
  }
  if (multiple !== undefined) {
    if (!Array.isArray(multiple) || multiple.length === 0 || !multiple.every((v) => typeof v === 'string' && v !== '')) {
      throw new CheckInputError(`${where}: "${many}" must be a non-empty list of strings`);
    }
    return multiple as string[];
  }
  if (fallback !== undefined) return fallback;
  throw new CheckInputError(`${where}: "${one}" (or "${many}") is required`);
}

function headersOf(value: unknown, where: string): HeaderLine[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    return value.map((line, i) => {
      if (typeof line !== 'string' || line.indexOf(':') <= 0) throw new CheckInputError(`${where}: headers[${i}] must be "Name: value"`);
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as const;
    });
  }
  if (isRecord(value)) {
    return Object.entries(value).map(([name, v]) => {
      if (typeof v !== 'string') throw new CheckInputError(`${where}: the header ${JSON.stringify(name)} must have a string value`);
      return [name, v] as const;
    });
  }
  throw new CheckInputError(`${where}: "headers" must be an object ({"X-Token": "abc"}) or a list of "Name: value"`);
}

function optionalBoolean(entry: Record<string, unknown>, key: string, where: string): boolean | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new CheckInputError(`${where}: "${key}" must be true or false`);
  return value;
}

function optionalString(entry: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new CheckInputError(`${where}: "${key}" must be a string`);
  return value;
}

/** Reads a parsed cors.json into the checks it lists; throws CheckInputError naming the entry and field at fault. */
export function readCheckConfig(config: unknown): ConfiguredCheck[] {
  const entries = Array.isArray(config) ? config : isRecord(config) ? config.checks : undefined;
  if (!Array.isArray(entries)) throw new CheckInputError('the config must be {"checks": [...]} (or a list of checks)');
  if (entries.length === 0) throw new CheckInputError('the config lists no checks');
  const checks: ConfiguredCheck[] = [];
  entries.forEach((entry, index) => {
    const where = `checks[${index}]`;
    if (!isRecord(entry)) throw new CheckInputError(`${where} must be an object`);
    for (const key of Object.keys(entry)) {
      if (!ENTRY_KEYS.has(key)) throw new CheckInputError(`${where}: unknown field "${key}" (known: ${[...ENTRY_KEYS].join(', ')})`);
    }
    const urls = stringList(entry, 'url', 'urls', where);
    const origins = stringList(entry, 'origin', 'origins', where);
    const methods = stringList(entry, 'method', 'methods', where, ['GET']);
    const expect = entry.expect;
    if (expect !== 'allowed' && expect !== 'blocked') throw new CheckInputError(`${where}: "expect" must be "allowed" or "blocked"`);
    const kind = entry.kind;
    if (kind !== undefined && !CHECK_KINDS.includes(kind as CheckKind)) throw new CheckInputError(`${where}: "kind" must be one of ${CHECK_KINDS.join(', ')}`);
    const headers = headersOf(entry.headers, where);
    const credentials = optionalBoolean(entry, 'credentials', where);
    const send = optionalBoolean(entry, 'send', where);
    const contentType = optionalString(entry, 'contentType', where);
    const body = optionalString(entry, 'body', where);
    const cookie = optionalString(entry, 'cookie', where);
    const name = optionalString(entry, 'name', where);
    for (const origin of origins) {
      for (const url of urls) {
        for (const method of methods) {
          const options: CheckCorsOptions = { url, origin, method, headers };
          if (credentials !== undefined) options.credentials = credentials;
          if (send !== undefined) options.send = send;
          if (contentType !== undefined) options.contentType = contentType;
          if (body !== undefined) options.body = body;
          if (cookie !== undefined) options.cookie = cookie;
          if (kind !== undefined) options.kind = kind as CheckKind;
          checks.push({ label: `${name ?? where} ${method} ${url} from ${origin}`, options, expect });
        }
      }
    }
  });
  return checks;
}
