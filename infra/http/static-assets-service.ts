/** The slot for static assets (the single-page app): a service that serves one folder under one path of the shared server. */
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { type Response, type Router } from 'express';
import { AppError } from '../../core/errors';
import { defineService, type HttpMount } from '../../core/service-descriptor';

/**
 * Only the app's own files run (no inline script, no eval, no other host); it connects only to its
 * own origin (REST and, by CSP 3's 'self', the WebSocket); no page may frame it.
 */
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

export interface StaticAssetsOptions<Name extends string> {
  name: Name;
  summary: string;
  /** Where it is served, e.g. `/app`; longer than `/`, so it is matched before the REST API. */
  path: string;
  /** The folder of built files. */
  folder: string;
  /** Served by `start all` too (default true). */
  inAll?: boolean;
  /** Also answer `GET /` with a redirect to `<path>/` (the app is the front door). */
  redirectRoot?: boolean;
  /** Started along with this service (core/service-descriptor.ts). */
  runsWith?: string;
  /** Sent with every file (default APP_CONTENT_SECURITY_POLICY). */
  contentSecurityPolicy?: string;
}

function securityHeaders(res: Response, csp: string): void {
  res.set({ 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' });
}

/** Serves the folder; a path without an extension that names no file gets `index.html`. */
function folderRouter(folder: string, csp: string): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    securityHeaders(res, csp);
    next();
  });
  // Vite names built assets by content hash: they never change; index.html always may.
  router.use('/assets', express.static(join(folder, 'assets'), { immutable: true, maxAge: '365d' }));
  router.use(express.static(folder, { setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  router.get('/{*path}', (req, res, next) => {
    if (extname(req.path)) return next();
    res.set('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: folder }, (err) => err && next(err));
  });
  return router;
}

/** What a process serves when the folder was never built: one clear answer naming the fix, not a bare 404. */
function notBuiltRouter(folder: string): Router {
  const router = express.Router();
  router.use(() => {
    throw new AppError('UNAVAILABLE', `The app is not built (no ${join(folder, 'index.html')}): run \`npm run build:app\` (npm install runs it)`);
  });
  return router;
}

/**
 * A descriptor for the registry (cli/service-registry.ts). A path without an extension that names
 * no file gets the folder's `index.html`, so the app's own routes survive a reload; a missing
 * asset (`/app/gone.js`) stays a 404.
 */
export function staticAssetsService<const Name extends string>(options: StaticAssetsOptions<Name>) {
  return defineService({
    name: options.name,
    summary: options.summary,
    inAll: options.inAll ?? true,
    needs: [],
    http: 'shared',
    ...(options.runsWith ? { runsWith: options.runsWith } : {}),
    async start({ log }) {
      const built = existsSync(join(options.folder, 'index.html'));
      if (!built) log.warn({ folder: options.folder }, 'the app is not built: run `npm run build:app`');
      const routes: HttpMount[] = [
        { path: options.path, router: built ? folderRouter(options.folder, options.contentSecurityPolicy ?? APP_CONTENT_SECURITY_POLICY) : notBuiltRouter(options.folder) },
      ];
      if (options.redirectRoot) {
        const root = express.Router();
        root.get('/', (_req, res) => res.redirect(302, `${options.path}/`));
        routes.push({ path: '/', router: root });
      }
      return { routes, stop: async () => {} };
    },
  });
}
