/** Refuses parsed bodies nested deeper than the limit, before any handler walks them recursively (zod, JSON.stringify, the store). */
import type { NextFunction, Request, Response } from 'express';
import { validationError } from '../../core/errors';
import { nestsDeeperThan } from '../../core/json-depth';

export function bodyDepthLimit(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(nestsDeeperThan(req.body, maxDepth) ? validationError({ body: [`is nested deeper than ${maxDepth} levels`] }) : undefined);
  };
}
