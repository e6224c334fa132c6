/** Sources as members see and manage them (spec §2.8): reads through the access gate, changes through core actions. */
import { type Request, type Response, Router } from 'express';
import { flowsAllowed } from '../../core/access/flow-gate';
import { createSource } from '../../core/actions/create-source';
import { deleteSource } from '../../core/actions/delete-source';
import { sourceOfFlowFor, updateSource } from '../../core/actions/update-source';
import { validationError } from '../../core/errors';
import { sourceStatusJson } from '../../core/integrations/source-status-json';
import type { WebApiDeps } from '../deps';
import { callerOf } from '../http/caller';
import { param } from '../http/params';
import { flowAt, urlBase } from '../serializers/flow-views';
import { sourceJson, sourcesJson } from '../serializers/source-json';

export function sourceRoutes(deps: WebApiDeps): Router {
  const r = Router();
  const at = (req: Request) => ({ org: param(req, 'org'), flow: param(req, 'flow') });
  const creatorOf = (id: number | null) => (id === null ? Promise.resolve(null) : deps.directory.userById(id));

  // Every source of every flow the caller reads (with a flow_token, only that source: routes/flow-token.ts).
  r.get('/sources', async (req, res) => {
    const flows = new Map((await flowsAllowed(deps.directory, callerOf(res).id, 'read')).map((a) => [a.flow.id, a]));
    const sources = await deps.directory.sources.sourcesOfFlows([...flows.keys()]);
    res.json(await sourcesJson(deps.directory, sources, (s) => flows.get(s.flowId!)!, urlBase(deps, req)));
  });

  r.put('/sources', () => {
    throw validationError({ flow_token: ["can't be blank: PUT /sources updates the source of a flow_token; members use PUT /flows/:org/:flow/sources/:id"] });
  });

  r.get('/flows/:org/:flow/sources', async (req, res) => {
    const access = await flowAt(deps, callerOf(res).id, param(req, 'org'), param(req, 'flow'), 'read');
    res.json(await sourcesJson(deps.directory, await deps.directory.sources.sourcesOfFlows([access.flow.id]), () => access, urlBase(deps, req)));
  });

  r.get('/flows/:org/:flow/sources/:id', async (req, res) => {
    const { source, access } = await sourceOfFlowFor(deps, callerOf(res), at(req), param(req, 'id'), 'read');
    const status = source.type === null ? {} : { status: sourceStatusJson(await deps.directory.sources.runStatus(source.id)) };
    res.json({ ...sourceJson(source, access, await creatorOf(source.creatorId), urlBase(deps, req)), ...status });
  });

  r.post('/flows/:org/:flow/sources', async (req, res: Response) => {
    const caller = callerOf(res);
    const { source, flowToken, access } = await createSource(deps, caller, at(req), req.body, deps.options.sourceSecretKey);
    res.status(201).json({ ...sourceJson(source, access, caller, urlBase(deps, req)), flow_token: flowToken });
  });

  r.put('/flows/:org/:flow/sources/:id', async (req, res) => {
    const { source, access } = await updateSource(deps, callerOf(res), at(req), param(req, 'id'), req.body);
    res.json(sourceJson(source, access, await creatorOf(source.creatorId), urlBase(deps, req)));
  });

  r.delete('/flows/:org/:flow/sources/:id', async (req, res) => {
    await deleteSource(deps, callerOf(res), at(req), param(req, 'id'));
    res.status(204).end();
  });

  return r;
}
