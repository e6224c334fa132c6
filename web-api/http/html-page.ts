/** The server's own small pages (an invitation's, an unsubscribe link's, a flow's join link): one shape, every given string escaped. */
import type { Request, Response } from 'express';
import { escapeHtml } from '../../core/escape-html';

/** True when the client prefers a page to JSON (a browser following a link). */
export const wantsHtml = (req: Request): boolean => req.accepts(['json', 'html']) === 'html';

/** Sends a page titled `title`; `body` is HTML whose given strings the caller escaped. */
export function sendPage(res: Response, title: string, body: string): void {
  res.type('html').send(`<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1>${body}`);
}
