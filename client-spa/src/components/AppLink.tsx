/** A link to one of the app's own pages: followed without a reload, still a real link (new tab, copy). */
import type { ComponentChildren } from 'preact';
import { navigate } from '../route';

interface Props {
  href: string;
  class?: string;
  'aria-current'?: 'page';
  'aria-label'?: string;
  children: ComponentChildren;
}

export function AppLink({ href, children, ...rest }: Props) {
  return (
    <a
      href={href}
      {...rest}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
