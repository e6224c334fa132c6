/**
 * Refuses request lines no handler could use, before routing: a path segment that is not valid
 * percent-encoding, and NUL in the path or in a query parameter (Postgres cannot store or compare
 * NUL, so it would otherwise surface as a 500 from the first query that sees it).
 */
import type { NextFunction, Request, Response } from 'express';
import { type FieldErrors, validationError } from '../../core/errors';

const NUL = '\u0000';

/** The first problem of the path, or null. Segments are decoded one by one, as the router will. */
function pathProblem(path: string): string | null {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `segment "${segment.slice(0, 64)}" is not valid percent-encoding`;
    }
    if (decoded.includes(NUL)) return 'must not contain NUL characters';
  }
  return null;
}

/** Query parameters (strings, or arrays and objects of them) whose name or value holds NUL. */
function queryProblems(query: Record<string, unknown>): FieldErrors {
  const fields: FieldErrors = {};
  for (const [name, value] of Object.entries(query)) {
    const values = [name, ...(Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [value])];
    if (values.some((v) => typeof v === 'string' && v.includes(NUL))) fields[name.replaceAll(NUL, '\\0').slice(0, 64)] = ['must not contain NUL characters'];
  }
  return fields;
}

/** Express middleware: passes a VALIDATION_FAILED (400) naming `path` or the query parameter to the error handler. */
export function requestGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem = pathProblem(req.path);
  const fields = problem ? { path: [problem] } : queryProblems(req.query as Record<string, unknown>);
  next(Object.keys(fields).length > 0 ? validationError(fields) : undefined);
}
