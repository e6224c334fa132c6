/** The invitation object (spec §2.7): id, state, email, flow (its id), url. */
import type { Invitation } from '../../core/domain/invitation';
import type { FlowAccess } from '../../core/ports/directory';
import type { UrlBase } from './json';

export function invitationJson(invitation: Invitation, view: FlowAccess, base: UrlBase) {
  return {
    id: invitation.id,
    state: invitation.state,
    email: invitation.email,
    flow: invitation.flowId,
    message: invitation.message,
    created_at: invitation.createdAt.toISOString(),
    url: `${base.api}/flows/${view.organization.parameterizedName}/${view.flow.parameterizedName}/invitations/${invitation.id}`,
  };
}
