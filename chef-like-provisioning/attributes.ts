/** Node attributes: deep merge of the layers, and each cookbook's zod schema validating its subtree. */
import type { z } from 'zod';
import type { Attributes, AttributeValue, Cookbook } from './api';
import { keysAt } from './schema-walk';

type AttributeObject = { [key: string]: AttributeValue };

function isObject(value: unknown): value is AttributeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` merged into `base`: objects merge key by key, anything else (arrays too) is replaced. */
export function deepMerge(base: Attributes, over: Attributes): Attributes {
  const merged: Attributes = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = merged[key];
    merged[key] = isObject(under) && isObject(value) ? deepMerge(under, value) : value;
  }
  return merged;
}

/**
 * One line per zod issue: "PREFIX.path.to.field: message"; an unknown key gets its own line naming
 * it ("attributes redis.instances.0.maxmemroy: unknown key (known: port, replicaof, maxmemory)").
 */
export function describeIssues(prefix: string, error: z.ZodError, schema?: z.ZodType): string[] {
  const at = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].join('.');
  return error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [`${at(issue.path)}: ${issue.message}`];
    const known = schema ? keysAt(schema, issue.path) : [];
    return issue.keys.map((key) => `${at([...issue.path, key])}: unknown key${known.length ? ` (known: ${known.join(', ')})` : ''}`);
  });
}

/** What a cookbook's schema makes of nothing: its defaults (or {} when it requires something). */
function cookbookDefaults(cookbook: Cookbook): Attributes {
  const parsed = cookbook.attributes.safeParse({});
  return parsed.success && isObject(parsed.data) ? (parsed.data as Attributes) : {};
}

/**
 * Sets `node[cookbook.name]` to the cookbook's schema applied to (its defaults < what the role and
 * node files gave); returns the errors, naming each attribute ("attributes redis.port: …").
 */
export function applyCookbookAttributes(node: Attributes, cookbook: Cookbook): string[] {
  const given = node[cookbook.name] ?? {};
  if (!isObject(given)) return [`attributes ${cookbook.name}: expected an object`];
  const parsed = cookbook.attributes.safeParse(deepMerge(cookbookDefaults(cookbook), given));
  if (!parsed.success) return describeIssues(`attributes ${cookbook.name}`, parsed.error, cookbook.attributes);
  // The schema's output (defaults filled in) is what recipes see; it is JSON by the contract.
  node[cookbook.name] = parsed.data as AttributeValue;
  return [];
}
