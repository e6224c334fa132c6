/**
 * Walking a cookbook's zod schema to its object schemas: for the keys an unknown key could have
 * meant, and for checking that every object in it rejects unknown keys (a typo must not vanish).
 */
import type { z } from 'zod';

/** The zod v4 definition fields this walk follows (wrappers, arrays, records, unions, pipes). */
interface Definition {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
}

function definitionOf(schema: z.ZodType): Definition {
  return (schema as unknown as { _zod: { def: Definition } })._zod.def;
}

/** The schemas directly inside this one, with the path segment each adds ('*' for an array element or record value). */
function children(schema: z.ZodType): { segment?: string; schema: z.ZodType }[] {
  const def = definitionOf(schema);
  if (def.type === 'object') return Object.entries(def.shape ?? {}).map(([segment, child]) => ({ segment, schema: child }));
  const inner = def.innerType ?? def.element ?? def.valueType;
  if (inner) return [{ segment: def.type === 'array' || def.type === 'record' ? '*' : undefined, schema: inner }];
  if (def.options) return def.options.map((option) => ({ schema: option }));
  return [def.in, def.out].filter((s): s is z.ZodType => s !== undefined).map((s) => ({ schema: s }));
}

/** An object schema found in a walk: where it sits ('instances.*'), its keys, and whether it rejects others. */
export interface ObjectSchema {
  path: string;
  keys: string[];
  strict: boolean;
}

/** Every object schema inside `schema`, outermost first. */
export function objectSchemas(schema: z.ZodType, path: string[] = []): ObjectSchema[] {
  const def = definitionOf(schema);
  const here: ObjectSchema[] = def.type === 'object' ? [{ path: path.join('.'), keys: Object.keys(def.shape ?? {}), strict: def.catchall !== undefined && definitionOf(def.catchall).type === 'never' }] : [];
  return [...here, ...children(schema).flatMap((child) => objectSchemas(child.schema, child.segment === undefined ? path : [...path, child.segment]))];
}

/** The keys an object at `path` (array indexes as numbers) may have, or [] when the walk finds no object there. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const wanted = path.map((segment) => (typeof segment === 'number' ? '*' : String(segment))).join('.');
  return [...new Set(objectSchemas(schema).filter((o) => o.path === wanted).flatMap((o) => o.keys))];
}
