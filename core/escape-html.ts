/** Escaping for server-made HTML (the join and unsubscribe pages, mails' HTML parts): every user-given string goes through it. */

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
