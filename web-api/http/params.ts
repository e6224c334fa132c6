/** Route parameters as plain strings (express 5 types a parameter as string | string[] for wildcards). */
import type { Request } from 'express';

export function param(req: Request, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
