/** The one place where errors become HTTP answers: AppError by its catalogue status, body-parser errors as 400/413. */
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../core/errors';
import type { Log } from '../../core/log';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function fromBodyParser(err: BodyParserError): AppError | null {
  if (err.type === 'entity.parse.failed') return new AppError('MALFORMED_JSON', 'Malformed JSON in request body', { body: ['is not valid JSON'] });
  if (err.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${err.limit} bytes`);
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') return new AppError('VALIDATION_FAILED', 'Unsupported body encoding', { body: ['has an unsupported encoding'] });
  return null;
}

export function errorHandler(log: Log) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appError = err instanceof AppError ? err : fromBodyParser(err as BodyParserError);
    if (appError) {
      if (appError.retryAfterSeconds !== undefined) res.set('Retry-After', String(appError.retryAfterSeconds));
      res.status(appError.status).json(appError.toJSON());
      return;
    }
    log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ message: 'Internal server error', code: 'INTERNAL' });
  };
}

export function notFoundHandler(req: Request, res: Response): void {
  res.status(404).json({ message: `No route for ${req.method} ${req.path}`, code: 'NOT_FOUND' });
}
