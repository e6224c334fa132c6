/** Which services `tributary start` runs, in which order, and which infrastructure each selection builds: pure, no server. */
import type { Need } from '../core/service-descriptor';
import { planInfrastructure } from './infrastructure-plan';
import { SERVICE_NAMES, selectServices } from './service-registry';

const planOf = (which: string) => planInfrastructure(selectServices(which).flatMap((d) => d.needs));
const sorted = (parts: ReadonlySet<Need>) => [...parts].sort();

it('`all` runs every service but the failover manager, the queue consumer first and the edges after it', () => {
  expect(selectServices('all').map((d) => d.name)).toEqual(['message-backend', 'streaming-api', 'app', 'web-api', 'integrations']);
  expect(SERVICE_NAMES).toEqual(['all', 'message-backend', 'streaming-api', 'web-api', 'integrations', 'failover-manager']);
  expect(() => selectServices('everything')).toThrow('unknown service everything');
});

it('the app comes with the web-api (full mode serves it beside the REST API), is not started on its own, and needs nothing', () => {
  expect(selectServices('web-api').map((d) => d.name)).toEqual(['app', 'web-api']);
  expect(selectServices('streaming-api').map((d) => d.name)).toEqual(['streaming-api']);
  expect(() => selectServices('app')).toThrow('unknown service app; known: message-backend, streaming-api, web-api, integrations, failover-manager');
  expect(selectServices('web-api')[0]).toMatchObject({ needs: [], http: 'shared', runsWith: 'web-api' });
});

it('the message backend gets the queue, store, bus, leases and the mention notices it records, and no directory, presence, limits or ingress', () => {
  const plan = planOf('message-backend');
  expect(sorted(plan.parts)).toEqual(['bus', 'leases', 'mentionNotices', 'queue', 'store']);
  expect(plan).toMatchObject({ postgres: true, redis: true });
});

it.each(['web-api', 'streaming-api'])('%s gets the ingress, and the queue, bus and store it is built from, but no leases', (which) => {
  const plan = planOf(which);
  // Only the REST API takes and serves files and sets who gets mention mails; only the streaming API (its IRC gateway) resumes IRC clients.
  const own = which === 'web-api' ? { blobs: ['blobs'], irc: [], mentions: ['mentionNotices'] } : { blobs: [], irc: ['ircResumePoints'], mentions: [] };
  expect(sorted(plan.parts)).toEqual([...own.blobs, 'bus', 'directory', 'ingress', ...own.irc, 'loginGuard', ...own.mentions, 'presence', 'queue', 'rateLimiter', 'store']);
  expect(plan).toMatchObject({ postgres: true, redis: true });
});

it('`all` builds every part once', () => {
  expect(sorted(planOf('all').parts)).toEqual(['blobs', 'bus', 'directory', 'ingress', 'ircResumePoints', 'leases', 'loginGuard', 'mailOutbox', 'mentionNotices', 'presence', 'queue', 'rateLimiter', 'sourceRuns', 'store']);
});

it('the integration workers get the directory, the ingress (and what it is built from), the source runs, the blob store (mail attachments), and mail out with presence (mention mails), on Postgres and Redis', () => {
  const plan = planOf('integrations');
  expect(sorted(plan.parts)).toEqual(['blobs', 'bus', 'directory', 'ingress', 'mailOutbox', 'mentionNotices', 'presence', 'queue', 'sourceRuns', 'store']);
  expect(plan).toMatchObject({ postgres: true, redis: true });
  expect(selectServices('integrations')[0]).toMatchObject({ http: 'shared', inAll: true });
});

it('the failover manager needs no shared infrastructure: neither Postgres nor Redis is opened for it', () => {
  expect(planOf('failover-manager')).toEqual({ parts: new Set(), postgres: false, redis: false });
  expect(selectServices('failover-manager')[0]).toMatchObject({ http: 'own', inAll: false });
});

it('a service that needs only the bus opens Redis but not Postgres; one that needs only the directory, the reverse', () => {
  expect(planInfrastructure(['bus'])).toMatchObject({ postgres: false, redis: true });
  expect(planInfrastructure(['directory'])).toMatchObject({ postgres: true, redis: false });
});
