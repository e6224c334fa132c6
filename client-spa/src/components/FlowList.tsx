/**
 * The sidebar's lists: flows (a navigation landmark "Flows" of links named by flow name, grouped by
 * organization) and people to talk to privately ("People", links named by nick), with unread and
 * mention badges.
 */

import type { Availability } from '../presence';
import { flowUrl } from '../route';
import { type Flow, flowPath, privateKey, type User } from '../types';
import { badgeText } from '../unread-tally';
import { AppLink } from './AppLink';

interface ItemProps {
  href: string;
  name: string;
  current: boolean;
  unread: number;
  mentions?: number;
  /** Shown before the name, not part of it (`#` for flows). */
  sigil: string;
  /** For people: a dot after the name, named for screen readers. */
  availability?: Availability;
}

function SidebarItem({ href, name, current, unread, mentions = 0, sigil, availability }: ItemProps) {
  return (
    <li class={current ? 'current' : unread > 0 ? 'unread' : undefined}>
      {availability && <span class={`presence ${availability}`} role="img" aria-label={availability} title={availability} />}
      <AppLink href={href} {...(current ? { 'aria-current': 'page' as const } : {})}>
        <span class="hash" aria-hidden="true">
          {sigil}{' '}
        </span>
        {name}
      </AppLink>
      {mentions > 0 && (
        <span class="badge mention" title={`${mentions} mentions`}>
          @{mentions}
        </span>
      )}
      {unread > 0 && (
        <span class="badge" title={`${badgeText(unread)} unread`}>
          {badgeText(unread)}
        </span>
      )}
    </li>
  );
}

interface ListProps {
  currentKey: string | null;
  unread: ReadonlyMap<string, number>;
}

export function FlowList({ flows, currentKey, unread }: ListProps & { flows: readonly Flow[] }) {
  const orgs = [...new Set(flows.map((f) => f.organization.name))];
  return (
    <nav class="flows" aria-label="Flows">
      {orgs.map((org) => (
        <section key={org}>
          <h2 class="org">{org}</h2>
          <ul>
            {flows
              .filter((f) => f.organization.name === org)
              .map((f) => (
                <SidebarItem key={f.id} href={flowUrl(flowPath(f))} name={f.name} sigil="#" current={f.id === currentKey} unread={unread.get(f.id) ?? 0} mentions={f.unread_mentions} />
              ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

export function PeopleList({ people, currentKey, unread, availabilityOf }: ListProps & { people: readonly User[]; availabilityOf(userId: number): Availability }) {
  return (
    <nav class="flows people" aria-label="People">
      <section>
        <h2 class="org">People</h2>
        <ul>
          {people.map((u) => (
            <SidebarItem
              key={u.id}
              href={flowUrl(`private/${u.id}`)}
              name={u.nick}
              sigil="@"
              availability={availabilityOf(u.id)}
              current={privateKey(u.id) === currentKey}
              unread={unread.get(privateKey(u.id)) ?? 0}
            />
          ))}
        </ul>
      </section>
    </nav>
  );
}
