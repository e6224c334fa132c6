/** The slot for static assets (the single-page app): a service that serves one folder under one path of the shared server. */
import { extname } from 'node:path';
import express from 'express';
import { defineService } from '../../core/service-descriptor';

export interface StaticAssetsOptions<Name extends string> {
  name: Name;
  summary: string;
  /** Where it is served, e.g. `/app`; longer than `/`, so it is matched before the REST API. */
  path: string;
  /** The folder of built files. */
  folder: string;
  /** Served by `start all` too (default true). */
  inAll?: boolean;
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
    async start() {
      const router = express.Router();
      router.use(express.static(options.folder));
      router.get('/{*path}', (req, res, next) => {
        if (extname(req.path)) return next();
        res.sendFile('index.html', { root: options.folder }, (err) => err && next());
      });
      return { routes: [{ path: options.path, router }], stop: async () => {} };
    },
  });
}
