/**
 * IrcClient: a logged-in IRC client. Its channels are the flows it has open (joined through the
 * access gate and resumed through the shared cursors), and its commands call the same core
 * actions as REST and the WebSocket.
 */
import { randomUUID } from 'node:crypto';
import { flowsAllowed, allowedFlowRef } from '../../core/access/flow-gate';
import { postMessage, type PostTarget } from '../../core/actions/post-message';
import { setPresence } from '../../core/actions/set-presence';
import { updateFlow } from '../../core/actions/update-flow';
import { isPrivateConversation, type User } from '../../core/domain/types';
import { enforceRateLimit } from '../../core/enforce-rate-limit';
import { flowChannel, userChannel } from '../../core/messaging/channels';
import type { FlowAccess } from '../../core/ports/directory';
import { cutConnection } from '../access-revocations';
import { resumeChannel } from '../resume';
import { hostmask, type SessionView } from './irc-event-lines';
import { formatLine, type IrcMessage } from './irc-line';
import { channelOf, flowRefOfChannel, topicOf } from './irc-names';
import { actionFailure, fail } from './irc-replies';
import type { IrcSession, LoggedIn } from './irc-session';

/** Uuids of this session's own posts remembered for echo suppression; older ones are long delivered. */
const MAX_REMEMBERED_POSTS = 1000;
/** CTCP's delimiter (a control character, hence built, not written in a regex literal). */
const CTCP = String.fromCharCode(1);
const ACTION = new RegExp(`^${CTCP}ACTION(?: (.*?))?${CTCP}?$`, 's');

export class IrcClient implements LoggedIn, SessionView {
  /** flow id → the flow as joined (its channel name is channelOf(access)). */
  private readonly channels = new Map<string, FlowAccess>();
  /** Flows cut by a revocation whose flow-remove (rendered as PART) is still queued. */
  private readonly revoked = new Map<string, string>();
  private readonly posted = new Set<string>();

  constructor(
    private readonly session: IrcSession,
    private readonly user: User,
  ) {
    session.onRevoked = (flowIds) => {
      for (const id of flowIds) {
        const access = this.channels.get(id);
        if (access) this.revoked.set(id, channelOf(access));
        this.channels.delete(id);
      }
    };
  }

  // SessionView: what rendering events reads.
  get serverName(): string {
    return this.session.server;
  }
  get me(): { id: number; nick: string } {
    return { id: this.user.id, nick: this.session.nick };
  }
  get nicks() {
    return this.session.nicks;
  }
  has(cap: 'server-time' | 'message-tags' | 'echo-message'): boolean {
    return this.session.caps.has(cap);
  }
  channelOf(flowId: string): string | undefined {
    const access = this.channels.get(flowId);
    return access ? channelOf(access) : this.revoked.get(flowId);
  }
  postedHere(uuid: string): boolean {
    return this.posted.delete(uuid);
  }
  flowAdded(flowId: string, open: boolean): void {
    if (!open || this.channels.has(flowId)) return;
    void this.joinRef(flowId, false);
  }
  flowRemoved(flowId: string): void {
    this.revoked.delete(flowId);
    this.channels.delete(flowId);
  }
  retitle(flowId: string, flowName: string): string | undefined {
    const access = this.channels.get(flowId);
    // Archiving, a new access mode or join link: a flow-update that leaves the name is no new topic.
    if (!access || access.flow.name === flowName) return undefined;
    access.flow = { ...access.flow, name: flowName };
    return topicOf(access);
  }

  private get ctx() {
    return this.session.gateway.ctx;
  }

  private get connection() {
    return this.session.connection!;
  }

  async start(): Promise<void> {
    const { directory } = this.ctx.deps;
    for (const u of (await directory.visibleUsers(this.user.id)).sort((a, b) => a.id - b.id)) if (u.id !== this.user.id) this.nicks.set(u.id, u.nick);
    const saved = await this.session.gateway.resumePoints.of(this.user.id, this.session.clientName);
    const privateTargets = Object.entries(saved).filter(([c]) => isPrivateConversation(c)).map(([conversation, since]) => ({ conversation, since }));
    await resumeChannel(this.ctx.resumeDeps, this.connection, userChannel(this.user.id), privateTargets, { needLastId: false });
    const mark = this.ctx.revocations.mark();
    const open = (await flowsAllowed(directory, this.user.id, 'read')).filter((a) => a.membership?.open);
    await Promise.all(open.map((access) => this.joinFlow(access, saved[access.flow.id], mark)));
    await this.presence('active');
  }

  async handle(message: IrcMessage): Promise<void> {
    const { command, params } = message;
    switch (command) {
      case 'PRIVMSG':
        await this.spend();
        return this.privmsg(params[0] ?? '', params[1] ?? '');
      case 'NOTICE':
        // RFC 2812: a NOTICE is never answered; Tributary has nothing to post it as.
        return;
      case 'JOIN':
        if (!params[0]) return this.session.reply('461', 'JOIN', 'Not enough parameters');
        await this.spend();
        for (const name of (params[0] ?? '').split(',').filter(Boolean)) await this.join(name);
        return;
      case 'PART':
        if (!params[0]) return this.session.reply('461', 'PART', 'Not enough parameters');
        await this.spend();
        for (const name of (params[0] ?? '').split(',').filter(Boolean)) await this.part(name);
        return;
      case 'NAMES':
        await this.spend();
        return this.names(params[0] ?? '');
      case 'WHO':
        await this.spend();
        return this.who(params[0] ?? '');
      case 'TOPIC':
        return this.topic(params[0] ?? '');
      case 'MODE':
        return this.mode(params[0] ?? '');
      case 'AWAY':
        await this.presence(params[0] ? 'idle' : 'active');
        return this.session.reply(params[0] ? '306' : '305', params[0] ? 'You have been marked as being away' : 'You are no longer marked as being away');
      case 'NICK':
        return this.session.send(fail(this.serverName, 'NICK', 'NOT_SUPPORTED', 'Your nick is your Tributary nick: change it in your profile'));
      case 'USER':
      case 'PASS':
        return this.session.reply('462', 'You may not reregister');
      default:
        return this.session.reply('421', command, 'Unknown command');
    }
  }

  /** IRC commands that make the server work spend the user's request budget, the one REST spends. */
  private async spend(): Promise<void> {
    const { rateLimiter, metrics } = this.ctx.deps;
    if (rateLimiter) await enforceRateLimit(rateLimiter, `user:${this.user.id}`, () => metrics.rateLimited.inc());
  }

  private joinedByName(name: string): FlowAccess | undefined {
    const lower = name.toLowerCase();
    for (const access of this.channels.values()) if (channelOf(access).toLowerCase() === lower) return access;
    return undefined;
  }

  /** PRIVMSG to a channel or a nick: a message (or, for `/me`, a status) through postMessage, REST's action. */
  private async privmsg(target: string, text: string): Promise<void> {
    if (!target) return this.session.reply('411', 'No recipient given (PRIVMSG)');
    if (!text) return this.session.reply('412', 'No text to send');
    const action = ACTION.exec(text);
    if (!action && text.startsWith(CTCP)) return; // Other CTCP queries (VERSION, PING): nothing to post.
    let postTarget: PostTarget;
    if (target.startsWith('#')) {
      const ref = this.joinedByName(target)?.flow.id ?? flowRefOfChannel(target);
      if (!ref) return this.session.reply('403', target, 'No such channel: flows are #<org>/<flow>');
      postTarget = { kind: 'flow', flow: { ref } };
    } else {
      const userId = this.nicks.idOf(target);
      if (userId === undefined || userId === this.user.id) return this.session.reply('401', target, 'No such nick');
      postTarget = { kind: 'private', userId };
    }
    const uuid = randomUUID();
    // Remembered before posting: the event may arrive before the post returns.
    this.posted.add(uuid);
    if (this.posted.size > MAX_REMEMBERED_POSTS) this.posted.delete(this.posted.values().next().value as string);
    const body = action ? { event: 'status', content: action[1] ?? '', uuid } : { event: 'message', content: text, uuid };
    try {
      await postMessage(this.ctx.actionDeps, this.user, postTarget, body);
    } catch (error) {
      this.posted.delete(uuid);
      this.session.send(actionFailure(this.serverName, this.session.nick, 'PRIVMSG', target, error));
    }
  }

  /** JOIN opens the flow (REST's `PUT …/flows/:org/:flow {open: true}`), then joins its channel. */
  private async join(name: string): Promise<void> {
    if (name === '0') return;
    const ref = flowRefOfChannel(name);
    if (!ref) return this.session.reply('403', name, 'No such channel: flows are #<org>/<flow>');
    if (this.joinedByName(name)) return;
    await this.joinRef(ref, true, name);
  }

  private async joinRef(ref: string, reportErrors: boolean, name = ref): Promise<void> {
    const mark = this.ctx.revocations.mark();
    try {
      await updateFlow(this.ctx.actionDeps, this.user, { ref }, { open: true });
      const access = await allowedFlowRef(this.ctx.deps.directory, this.user.id, ref, 'read');
      if (!access) return this.session.reply('473', name, 'Cannot join channel: you may not read this flow');
      await this.joinFlow(access, (await this.session.gateway.resumePoints.of(this.user.id, this.session.clientName))[access.flow.id], mark);
      await this.presence('active', [access.flow.id]);
    } catch (error) {
      if (reportErrors) this.session.send(actionFailure(this.serverName, this.session.nick, 'JOIN', name, error));
    }
  }

  /**
   * Announces the channel (JOIN, topic, names), then subscribes and resumes after `since` through
   * the shared cursors: the backfill lands after the JOIN and before any live event, none twice.
   */
  private async joinFlow(access: FlowAccess, since: number | undefined, revocationMark: number): Promise<void> {
    const flowId = access.flow.id;
    if (this.channels.has(flowId)) return;
    this.channels.set(flowId, access);
    const name = channelOf(access);
    try {
      const members = await this.members(flowId);
      this.session.send(formatLine(hostmask(this, this.user.id), 'JOIN', [name]), ...this.topicLines(access), ...this.namesLines(name, members));
      await resumeChannel(this.ctx.resumeDeps, this.connection, flowChannel(flowId), [{ conversation: flowId, since }], {
        needLastId: true,
        announce: (outcome) => {
          if (outcome.resync) this.session.send(formatLine(this.serverName, 'NOTICE', [name, 'More was missed than can be replayed here; read the rest in the app']));
        },
      });
      // Checked before a block committed, joined after this node applied the revocation: cut it now.
      if (this.ctx.revocations.revokedSince(this.user.id, flowId, revocationMark)) cutConnection(this.connection, [flowId]);
    } catch (error) {
      this.channels.delete(flowId);
      await this.connection.leave(flowChannel(flowId));
      this.session.send(formatLine(hostmask(this, this.user.id), 'PART', [name, 'join failed']));
      throw error;
    }
  }

  /** PART closes the flow (REST's `{open: false}`) and leaves its channel. */
  private async part(name: string): Promise<void> {
    const access = this.joinedByName(name);
    if (!access) return this.session.reply('442', name, "You're not on that channel");
    const flowId = access.flow.id;
    this.channels.delete(flowId);
    this.connection.cursors.forget(flowId);
    await this.connection.leave(flowChannel(flowId));
    this.session.send(formatLine(hostmask(this, this.user.id), 'PART', [channelOf(access)]));
    await updateFlow(this.ctx.actionDeps, this.user, { id: flowId }, { open: false }).catch((error: unknown) =>
      this.session.send(actionFailure(this.serverName, this.session.nick, 'PART', name, error)),
    );
  }

  /** Active members of the flow with their last activity (null: not seen lately), nicks recorded. */
  private async members(flowId: string): Promise<{ id: number; nick: string; name: string; lastActive: number | null }[]> {
    const { directory, presence } = this.ctx.deps;
    const [users, activity] = await Promise.all([directory.flowUsers(flowId), presence.lastActivity(flowId)]);
    return users
      .filter((u) => u.inFlow && !u.disabled)
      .map((u) => ({ id: u.id, nick: u.id === this.user.id ? this.session.nick : this.nicks.set(u.id, u.nick), name: u.name, lastActive: activity.get(u.id) ?? null }));
  }

  private namesLines(name: string, members: { nick: string }[]): string[] {
    const lines: string[] = [];
    const nicks = members.map((m) => m.nick);
    // 353 lines stay well under 512 bytes: 20 nicks of at most 64 characters each.
    for (let i = 0; i < nicks.length; i += 20) lines.push(this.numeric('353', '=', name, nicks.slice(i, i + 20).join(' ')));
    lines.push(this.numeric('366', name, 'End of /NAMES list'));
    return lines;
  }

  private topicLines(access: FlowAccess): string[] {
    return [this.numeric('332', channelOf(access), topicOf(access))];
  }

  private numeric(code: string, ...params: string[]): string {
    return formatLine(this.serverName, code, [this.session.nick, ...params]);
  }

  private async names(name: string): Promise<void> {
    const access = this.joinedByName(name);
    if (!access) return this.session.send(this.numeric('366', name || '*', 'End of /NAMES list'));
    this.session.send(...this.namesLines(channelOf(access), await this.members(access.flow.id)));
  }

  /** WHO #channel: each member, `H` (here) when seen active lately, `G` (gone, away) when idle or not seen. */
  private async who(mask: string): Promise<void> {
    const access = this.joinedByName(mask);
    const lines: string[] = [];
    if (access) {
      const now = Date.now();
      const awayAfter = this.session.gateway.options.awayAfterMs;
      for (const m of await this.members(access.flow.id)) {
        const here = m.lastActive !== null && now - m.lastActive < awayAfter;
        lines.push(this.numeric('352', channelOf(access), `u${m.id}`, 'tributary', this.serverName, m.nick, here ? 'H' : 'G', `0 ${m.name}`));
      }
    }
    lines.push(this.numeric('315', mask || '*', 'End of /WHO list'));
    this.session.send(...lines);
  }

  private topic(name: string): void {
    const access = this.joinedByName(name);
    if (access) this.session.send(...this.topicLines(access));
    else this.session.reply('442', name, "You're not on that channel");
  }

  /** Channels are `+is` (invitation-only flows) or `+s`; users `+i`. Modes cannot be changed. */
  private mode(target: string): void {
    const access = this.joinedByName(target);
    if (access) this.session.send(this.numeric('324', channelOf(access), access.flow.accessMode === 'invitation' ? '+is' : '+s'));
    else if (target.startsWith('#')) this.session.reply('403', target, 'No such channel');
    else this.session.send(this.numeric('221', '+i'));
  }

  private async presence(state: 'active' | 'idle', flowIds = [...this.channels.keys()]): Promise<void> {
    const { deps } = this.ctx;
    await setPresence(deps, this.user, flowIds, state, (err) => deps.log.warn({ err }, 'presence publish failed'));
  }
}
