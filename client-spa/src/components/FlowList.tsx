/** The flow list: a navigation landmark of links named by flow name, grouped by organization, with unread and mention badges. */
import { flowUrl, navigate } from '../route';
import { type Flow, flowPath } from '../types';

interface Props {
  flows: readonly Flow[];
  currentPath: string | null;
  unread: ReadonlyMap<string, number>;
}

export function FlowList({ flows, currentPath, unread }: Props) {
  const orgs = [...new Set(flows.map((f) => f.organization.name))];
  return (
    <nav class="flows" aria-label="Flows">
      {orgs.map((org) => (
        <section key={org}>
          <h2 class="org">{org}</h2>
          <ul>
            {flows
              .filter((f) => f.organization.name === org)
              .map((f) => {
                const path = flowPath(f);
                const count = unread.get(f.id) ?? 0;
                return (
                  <li key={f.id} class={path === currentPath ? 'current' : count > 0 ? 'unread' : undefined}>
                    <a
                      href={flowUrl(path)}
                      aria-current={path === currentPath ? 'page' : undefined}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(flowUrl(path));
                      }}
                    >
                      <span class="hash" aria-hidden="true">
                        #{' '}
                      </span>
                      {f.name}
                    </a>
                    {f.unread_mentions > 0 && (
                      <span class="badge mention" title={`${f.unread_mentions} mentions`}>
                        @{f.unread_mentions}
                      </span>
                    )}
                    {count > 0 && (
                      <span class="badge" title={`${count} unread`}>
                        {count}
                      </span>
                    )}
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </nav>
  );
}
