/** Where errors become HTTP answers: body-parser and URL-decoding errors as AppErrors, then the one mapping of core/errors.ts. */
import type { NextFunction, Request, Response } from 'express';
import { AppError, errorAnswer } from '../../core/errors';
import type { Log } from '../../core/log';
import { sanitizeUrl } from '../../core/sanitize-url';

/** What body-parser (http-errors) and the router's parameter decoding put on their errors. */
interface HttpError {
  type?: string;
  status?: number;
  limit?: number;
  /** zlib's code for a body that is not what its Content-Encoding says. */
  code?: string;
  name?: string;
}

const body = (problem: string) => ({ body: [problem] });

/** A client error raised before our handlers (body parsing, route parameters) as an AppError; null for anything else. */
function fromHttpError(err: HttpError): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('MALFORMED_JSON', 'Malformed JSON in request body', body('is not valid JSON'));
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${err.limit} bytes`);
    case 'parameters.too.many':
      return new AppError('PAYLOAD_TOO_LARGE', 'Too many parameters in the form body', body('has too many parameters'));
    case 'querystring.parse.rangeError':
      return new AppError('VALIDATION_FAILED', 'Form body nested too deeply', body('is nested too deeply'));
    case 'encoding.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Encoding (use gzip, deflate, br or none)', { 'content-encoding': ['is not supported'] });
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body charset', { 'content-type': ['has an unsupported charset'] });
  }
  if (err.status === undefined || err.status < 400 || err.status >= 500) return null;
  // A body that its Content-Encoding cannot decode (broken gzip/deflate/brotli).
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) return new AppError('VALIDATION_FAILED', 'Request body does not match its Content-Encoding', body('could not be decoded'));
  if (err.name === 'URIError') return new AppError('VALIDATION_FAILED', 'Malformed percent-encoding in the URL path', { path: ['is not valid percent-encoding'] });
  if (err.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'Request body too large');
  return new AppError('VALIDATION_FAILED', 'Malformed request body', body('could not be read'));
}

export function errorHandler(log: Log) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const answer = errorAnswer(err instanceof AppError ? err : (fromHttpError((err ?? {}) as HttpError) ?? err));
    if (answer.unexpected) log.error({ err, method: req.method, url: sanitizeUrl(req.originalUrl) }, 'unhandled error');
    if (answer.retryAfterSeconds !== undefined) res.set('Retry-After', String(answer.retryAfterSeconds));
    res.status(answer.status).json(answer.body);
  };
}

export function notFoundHandler(req: Request, res: Response): void {
  res.status(404).json({ message: `No route for ${req.method} ${req.path}`, code: 'NOT_FOUND' });
}
