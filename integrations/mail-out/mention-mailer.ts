/**
 * MentionMailer: settles each user's due mentions (docs/adr/029-mail-notifications.md). A mention
 * is skipped when the user has read it meanwhile (their read marker is at or past it), turned
 * mention mails off, may no longer read the flow, or the message is gone; postponed while the user
 * has been active in that flow within MENTION_QUIET_S (they are there to see it); every other
 * pending mention of the user, in every flow, goes into one mail.
 */
import { decide } from '../../core/access/flow-policy';
import { type ConversationKey, flowConversation, type MessageJson } from '../../core/domain/types';
import type { Log } from '../../core/log';
import { type MentionLine, mentionMail } from '../../core/mail/mention-mail';
import { unsubscribeToken } from '../../core/mail/unsubscribe-token';
import type { Metrics } from '../../core/metrics';
import type { Directory, FlowAccess } from '../../core/ports/directory';
import type { MentionNotices, MentionSettlement, PendingMention } from '../../core/ports/mention-notices';
import type { MessageStore } from '../../core/ports/message-store';
import type { Presence } from '../../core/ports/presence';

export interface MentionMailerSettings {
  quietMs: number;
  /** Where the app is: links in the mails (PUBLIC_URL). */
  publicUrl: string;
  unsubscribeKey: Buffer;
}

export interface MentionMailerDeps {
  notices: MentionNotices;
  directory: Directory;
  store: MessageStore;
  presence: Presence;
  log: Log;
  metrics: Pick<Metrics, 'mentionNotices'>;
}

/** A message's text as the mail quotes it: a chat message's string, a comment's `text`. */
function textOf(message: MessageJson): string {
  const c = message.content;
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object' && 'text' in c) return String((c as { text: unknown }).text);
  return '';
}

function byFlow(pending: PendingMention[]): Map<string, PendingMention[]> {
  const flows = new Map<string, PendingMention[]>();
  for (const m of pending) flows.set(m.flowId, [...(flows.get(m.flowId) ?? []), m]);
  return flows;
}

export class MentionMailer {
  constructor(private readonly deps: MentionMailerDeps, private readonly settings: MentionMailerSettings) {}

  /** Settles users' due mentions until none is due; how many users it settled. */
  async settleDue(): Promise<number> {
    let settled = 0;
    while (await this.deps.notices.settleNextDue((userId, pending) => this.settlementOf(userId, pending))) settled += 1;
    return settled;
  }

  /** What becomes of one person's pending mentions (the rules in this file's header). */
  private async settlementOf(userId: number, pending: PendingMention[]): Promise<MentionSettlement> {
    const s: MentionSettlement = { mail: null, mailed: [], skipped: [], postponed: [] };
    const skipAll = (why: string) => ({ ...s, skipped: pending.map((mention) => ({ mention, why })) });
    const user = await this.deps.directory.userById(userId);
    if (!user) return this.count(skipAll('no such user'));
    if (!(await this.deps.notices.mailsOn(userId))) return this.count(skipAll('mention mails off'));
    const lines: MentionLine[] = [];
    const now = Date.now();
    for (const [flowId, mentions] of byFlow(pending)) {
      const access = await this.deps.directory.flowAccess(userId, { id: flowId });
      if (!access || !decide(access, 'read').allowed) {
        s.skipped.push(...mentions.map((mention) => ({ mention, why: 'may not read the flow' })));
        continue;
      }
      const conversation = flowConversation(flowId);
      const readUpTo = (await this.deps.directory.readMarkers.readMarkers(userId, [conversation])).get(conversation) ?? 0;
      const activeAt = (await this.deps.presence.lastActivity(flowId)).get(userId);
      for (const mention of mentions) {
        if (mention.messageId <= readUpTo) s.skipped.push({ mention, why: 'read' });
        else if (activeAt !== undefined && activeAt > now - this.settings.quietMs) s.postponed.push({ mention, until: new Date(activeAt + this.settings.quietMs) });
        else {
          const line = await this.lineOf(access, conversation, mention);
          if (line) {
            lines.push(line);
            s.mailed.push(mention);
          } else s.skipped.push({ mention, why: 'message gone' });
        }
      }
    }
    if (lines.length) s.mail = mentionMail(user.email, lines, `${this.settings.publicUrl}/unsubscribe/${unsubscribeToken(this.settings.unsubscribeKey, userId)}`);
    return this.count(s);
  }

  private async lineOf(access: FlowAccess, conversation: ConversationKey, mention: PendingMention): Promise<MentionLine | null> {
    const message = await this.deps.store.get(conversation, mention.messageId);
    if (!message) return null;
    const author = mention.authorId === null ? null : await this.deps.directory.userById(mention.authorId);
    const { organization, flow } = access;
    return {
      where: `${organization.name} / ${flow.name}`,
      author: author?.name ?? message.external_user_name ?? 'Someone',
      text: textOf(message),
      link: `${this.settings.publicUrl}/app/${organization.parameterizedName}/${flow.parameterizedName}`,
    };
  }

  private count(s: MentionSettlement): MentionSettlement {
    const m = this.deps.metrics.mentionNotices;
    if (s.mailed.length) m.inc({ outcome: 'mailed' }, s.mailed.length);
    if (s.skipped.length) m.inc({ outcome: 'skipped' }, s.skipped.length);
    if (s.postponed.length) m.inc({ outcome: 'postponed' }, s.postponed.length);
    return s;
  }
}
