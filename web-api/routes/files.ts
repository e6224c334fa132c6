/**
 * `GET /files/:scope/:id/:name`: an attachment's bytes (spec §2.9), for whoever may read its
 * conversation, through the one flow gate; anyone else gets the same 404 as for a missing file.
 * Served directly rather than by Flowdock's redirect to a short-lived URL (docs/adr/016-files.md).
 */
import { Router } from 'express';
import { allowedFlow, privatePeer } from '../../core/access/flow-gate';
import { notFound } from '../../core/errors';
import { conversationOfScope } from '../../core/files/attachment';
import { servedAs } from '../../core/files/file-uploads';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { param } from '../http/params';

/** May `userId` read the conversation the scope names? Missing and refused look alike. */
async function mayRead(deps: WebApiDeps, userId: number, scope: ReturnType<typeof conversationOfScope>): Promise<boolean> {
  if (scope.kind === 'flow') return (await allowedFlow(deps.directory, userId, { id: scope.flowId }, 'read')) !== null;
  const [a, b] = scope.users;
  if (userId !== a && userId !== b) return false;
  return (await privatePeer(deps.directory, userId, userId === a ? b : a)) !== null;
}

export function fileRoutes(deps: WebApiDeps): Router {
  const r = Router();
  r.get('/files/:scope/:id/:name', async (req, res) => {
    const scope = conversationOfScope(param(req, 'scope'));
    if (!(await mayRead(deps, callerOf(res).id, scope))) throw notFound('file');
    const blob = await deps.files.open(scope.conversation, param(req, 'id'), param(req, 'name'));
    if (!blob) throw notFound('file');
    const { contentType, disposition } = servedAs(blob);
    // setHeader, not res.set: express would add a charset to the type the file is served with.
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'Content-Disposition': disposition,
      'Content-Length': String(blob.data.length),
      // Never sniffed into HTML, and if opened anyway, a sandbox with nothing allowed.
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      // Access can be lost: a shared cache must not keep it, the browser only briefly.
      'Cache-Control': 'private, max-age=300',
    };
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.end(blob.data);
  });
  return r;
}
