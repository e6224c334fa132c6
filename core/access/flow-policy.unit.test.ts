/** The access policy as a table: every kind of caller × every action on an organization-mode, an invitation-mode and a link-mode flow. */
import type { AccessMode } from '../domain/types';
import type { FlowAccess } from '../ports/directory';
import { canSee, decide, decideJoin, decideMemberChange, type FlowAction } from './flow-policy';

type Caller = 'admin' | 'member' | 'blocked' | 'left' | 'non-joined' | 'non-joined admin' | 'outsider' | 'removed';

function access(caller: Caller, accessMode: AccessMode, archived = false): FlowAccess {
  const orgRole = caller === 'outsider' || caller === 'removed' ? null : caller === 'admin' || caller === 'non-joined admin' ? 'admin' : 'member';
  const member = caller === 'admin' || caller === 'member' || caller === 'blocked' || caller === 'left' || caller === 'removed';
  const now = new Date(0);
  return {
    flow: { id: 'f', organizationId: 1, name: 'F', parameterizedName: 'f', accessMode, disabled: archived, createdAt: now },
    organization: { id: 1, name: 'Acme', parameterizedName: 'acme', createdAt: now },
    // `removed` keeps a stale membership row: losing the organization must count even then.
    membership: member ? { flowId: 'f', userId: 7, open: true, disabled: caller === 'blocked', inFlow: caller !== 'left' } : null,
    orgRole,
  };
}

const outcome = (a: FlowAccess, action: FlowAction): string => {
  const d = decide(a, action);
  return d.allowed ? 'ok' : d.as === 'not-found' ? '404' : '403';
};

const ACTIONS: FlowAction[] = ['see', 'read', 'post', 'set-open', 'change-settings', 'archive', 'add-member', 'share-link'];

// Columns in ACTIONS order.
const ORGANIZATION_FLOW: Record<Caller, string[]> = {
  admin: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  member: ['ok', 'ok', 'ok', 'ok', 'ok', '403', 'ok', 'ok'],
  blocked: ['404', '404', '404', '404', '404', '404', '404', '404'],
  left: ['ok', '404', '404', 'ok', '403', '403', '403', '404'],
  'non-joined': ['ok', '404', '404', 'ok', '403', '403', '403', '404'],
  'non-joined admin': ['ok', '404', '404', 'ok', '403', '403', '403', '404'],
  outsider: ['404', '404', '404', '404', '404', '404', '404', '404'],
  removed: ['404', '404', '404', '404', '404', '404', '404', '404'],
};

const INVITATION_FLOW: Record<Caller, string[]> = {
  ...ORGANIZATION_FLOW,
  left: ['404', '404', '404', '404', '404', '404', '404', '404'],
  'non-joined': ['404', '404', '404', '404', '404', '404', '404', '404'],
  'non-joined admin': ['404', '404', '404', '404', '404', '404', '404', '404'],
};

describe.each([
  ['organization', ORGANIZATION_FLOW],
  ['invitation', INVITATION_FLOW],
  // A join link is a credential of its own (core/actions/join-by-link.ts): the policy treats link mode as invitation mode.
  ['link', INVITATION_FLOW],
] as const)('%s-mode flow', (mode, table) => {
  it.each(Object.entries(table))('%s', (caller, expected) => {
    const a = access(caller as Caller, mode);
    expect(ACTIONS.map((action) => `${action}:${outcome(a, action)}`)).toEqual(ACTIONS.map((action, i) => `${action}:${expected[i]}`));
  });
});

describe('an archived flow', () => {
  it('is read-only for its members, takes nobody new, and only an organization admin restores it', () => {
    expect(outcome(access('member', 'invitation', true), 'read')).toBe('ok');
    expect(outcome(access('member', 'invitation', true), 'post')).toBe('403');
    expect(outcome(access('member', 'invitation', true), 'archive')).toBe('403');
    expect(outcome(access('admin', 'invitation', true), 'archive')).toBe('ok');
    expect(outcome(access('admin', 'invitation', true), 'add-member')).toBe('403');
    expect(decide(access('member', 'organization', true), 'add-member')).toMatchObject({ reason: 'the flow is archived: nobody can join it' });
  });
});

describe('joining', () => {
  it('is refused to a blocked member and on an archived flow, naming why', () => {
    const flow = (disabled: boolean) => ({ disabled });
    expect(decideJoin(flow(false), null)).toEqual({ allowed: true });
    expect(decideJoin(flow(false), { disabled: false })).toEqual({ allowed: true });
    expect(decideJoin(flow(false), { disabled: true })).toEqual({ allowed: false, as: 'forbidden', reason: 'you were blocked from this flow' });
    expect(decideJoin(flow(true), null)).toEqual({ allowed: false, as: 'forbidden', reason: 'the flow is archived: nobody can join it' });
  });
});

describe('blocking and unblocking a member', () => {
  const change = (caller: Caller, target: 'admin' | 'member' | 'self', disabled: boolean): string => {
    const d = decideMemberChange(access(caller, 'organization'), 7, { userId: target === 'self' ? 7 : 8, orgRole: target === 'admin' ? 'admin' : 'member' }, disabled);
    return d.allowed ? 'ok' : d.as === 'not-found' ? '404' : '403';
  };

  it.each([
    ['admin', 'member', true, 'ok'],
    ['admin', 'admin', true, 'ok'],
    ['member', 'member', true, 'ok'],
    ['member', 'admin', true, '403'],
    ['member', 'admin', false, 'ok'],
    ['member', 'self', true, '403'],
    ['admin', 'self', false, '403'],
    ['blocked', 'self', false, '404'],
    ['blocked', 'admin', true, '404'],
    ['non-joined', 'member', true, '403'],
    ['outsider', 'member', true, '404'],
    ['removed', 'member', false, '404'],
  ] as const)('%s → %s, disabled: %s → %s', (caller, target, disabled, expected) => {
    expect(change(caller, target, disabled)).toBe(expected);
  });
});

it('sees nothing of a flow in an organization the caller is not in, whatever the mode', () => {
  expect(canSee(access('outsider', 'organization'))).toBe(false);
  expect(canSee(access('outsider', 'link'))).toBe(false);
});
