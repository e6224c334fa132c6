/**
 * Bodies of the routes that post messages, where `event: "file"` uploads arrive: JSON up to the
 * size a FILE_MAX_BYTES file takes in base64 (the general BODY_LIMIT is far smaller), and
 * multipart/form-data whose part `content` is the file. Mounted before the general body parsers,
 * which then leave the parsed body alone. Oversize answers 413 naming FILE_MAX_BYTES; a body that
 * is not a file upload keeps BODY_LIMIT, as on every other route. The caller is authenticated (and
 * rate-limited) first, so that nobody unknown can make a node buffer files.
 */
import bytes from 'bytes';
import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import multer, { MulterError } from 'multer';
import { AppError, validationError } from '../../core/errors';
import { presentsUserCredentials } from '../../core/auth/request-credentials';
import { fileTooLarge } from '../../core/files/upload-input';
import { credentialsOf } from './authenticate';

/** Every path a message (and so a file) is posted to, relative to the API's root. */
const POST_PATHS = ['/messages', '/flows/:org/:flow/messages', '/flows/:org/:flow/threads/:thread/messages', '/private/:id/messages'];
/** Room for the other fields of a JSON upload besides the base64. */
const JSON_SLACK_BYTES = 64 * 1024;
/** Never below this, so that a small FILE_MAX_BYTES does not cut ordinary posts shorter than BODY_LIMIT would. */
const JSON_FLOOR_BYTES = 1024 * 1024;

/** Runs `handler`, turning its errors into ours with `map` (null: pass the error on as it is). */
function mapErrors(handler: RequestHandler, map: (err: unknown) => Error | null): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => handler(req, res, (err?: unknown) => next(err ? (map(err) ?? err) : undefined));
}

/** `maxBytes`: FILE_MAX_BYTES; `bodyLimit`: BODY_LIMIT as configured (`256kb`), the limit of everything but files. */
export function uploadBodies(maxBytes: number, bodyLimit: string, authenticated: RequestHandler): Router {
  const base64Bytes = Math.ceil(maxBytes / 3) * 4;
  const generalLimit = bytes.parse(bodyLimit) ?? 0;
  /** Each parsed JSON body's size, to hold a post that is not a file to BODY_LIMIT once its event is known. */
  const sizes = new WeakMap<Request, number>();
  const json = express.json({
    limit: Math.max(base64Bytes + JSON_SLACK_BYTES, JSON_FLOOR_BYTES, generalLimit),
    strict: false,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf) => void sizes.set(req as Request, buf.length),
  });
  const multipart = multer({
    storage: multer.memoryStorage(),
    // Browsers send file names in UTF-8.
    defParamCharset: 'utf8',
    limits: { fileSize: maxBytes, files: 1, fields: 100, fieldSize: Math.min(64 * 1024, generalLimit), parts: 101 },
  }).single('content');

  /*
   * A request with no user credentials at all is left to the general parsers (BODY_LIMIT) and the
   * routes after them: a source posting with its flow token in the body (`POST /messages`) must reach
   * the flow-token routes, and anyone else gets the 401 of authentication there — without a file's
   * worth of body buffered.
   */
  const r = Router();
  r.post(
    POST_PATHS,
    // A request with no user credentials at all (see above) skips this router.
    (req, _res, next) => next(presentsUserCredentials(credentialsOf(req)) ? undefined : 'router'),
    authenticated,
    mapErrors(json, (err) => ((err as { type?: string }).type === 'entity.too.large' ? fileTooLarge(maxBytes) : null)),
    (req, _res, next) => {
      const size = sizes.get(req) ?? 0;
      const isFile = (req.body as { event?: unknown } | undefined)?.event === 'file';
      next(size > generalLimit && !isFile ? new AppError('PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${generalLimit} bytes (BODY_LIMIT)`) : undefined);
    },
    mapErrors(multipart, (err) => {
      // Anything else the parser raises is the body's fault (busboy: a malformed part header, a truncated body).
      if (!(err instanceof MulterError)) return validationError({ body: [`is not valid multipart/form-data: ${(err as Error).message}`] });
      if (err.code === 'LIMIT_FILE_SIZE') return fileTooLarge(maxBytes);
      return validationError({ [err.field ?? 'body']: [`${err.message} (send one file, in the part named content)`] });
    }),
    (req, _res, next) => {
      // The part's bytes stand where JSON has base64: the upload is validated in one place (core/files/upload-input.ts).
      if (req.file) req.body = { ...req.body, content: { data: req.file.buffer, content_type: req.file.mimetype, file_name: req.file.originalname } };
      next();
    },
  );
  return r;
}
