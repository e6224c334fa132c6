/**
 * A mention mail's unsubscribe link, before user authentication (its signature is the credential):
 * `GET /unsubscribe/:token` asks to confirm (a page, or JSON), `POST` turns the user's mention mails
 * off — also as RFC 8058's one-click POST (`List-Unsubscribe=One-Click`) a mail client sends.
 */
import { type Request, Router } from 'express';
import { unsubscribeTarget } from '../../core/actions/set-mention-mails';
import { escapeHtml } from '../../core/escape-html';
import type { WebApiDeps } from '../deps';
import { sendPage, wantsHtml } from '../http/html-page';
import { param } from '../http/params';


export function unsubscribeRoutes(deps: WebApiDeps): Router {
  const r = Router();
  const target = (req: Request) => unsubscribeTarget(deps, deps.options.unsubscribeKey, param(req, 'token'));

  r.get('/unsubscribe/:token', async (req, res) => {
    const user = await target(req);
    const on = await deps.mentionNotices.mailsOn(user.id);
    if (!wantsHtml(req)) return void res.json({ email: user.email, mention_mails: on });
    sendPage(res, 'Stop mention mails?', `<p>${escapeHtml(user.email)} gets a mail when mentioned in a flow while away.</p><form method="post"><button>Stop these mails</button></form>`);
  });

  r.post('/unsubscribe/:token', async (req, res) => {
    const user = await target(req);
    await deps.mentionNotices.setMailsOn(user.id, false);
    if (!wantsHtml(req)) return void res.json({ email: user.email, mention_mails: false });
    sendPage(res, 'Mention mails stopped', `<p>${escapeHtml(user.email)} gets no more mention mails. To have them again, turn "mention mails" on in your account (PUT /user with <code>mention_mails: true</code>).</p>`);
  });

  return r;
}
