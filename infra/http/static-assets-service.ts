/** The slot for static assets (the single-page app): a service that serves one folder under one path of the shared server. */
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
 * A descriptor for the registry (cli/service-registry.ts). A path inside the folder that names no
 * file gets its `index.html`, so the app's own routes survive a reload.
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
      router.use(express.static(options.folder, { index: 'index.html', fallthrough: true }));
      router.get('/{*path}', (_req, res, next) => res.sendFile('index.html', { root: options.folder }, (err) => err && next()));
      return { routes: [{ path: options.path, router }], stop: async () => {} };
    },
  });
}
