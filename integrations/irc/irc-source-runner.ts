/**
 * The `irc` kind as the integrations worker runs it: a session kind. Winning a source's lease
 * starts its bridge from the bookmark the last bridge of the source stored (on whichever worker),
 * and every status the bridge reports becomes the source's status and bookmark.
 */
import type { SessionRunner } from '../source-runner';
import { startIrcBridge } from './irc-bridge';
import { coreBridgeDeps } from './irc-bridge-deps';

/** The bookmark: the id of the last flow message wholly handed to IRC. */
const CURSOR_FIELD = 'flow_message_id';

function storedCursor(cursor: Record<string, unknown> | null): number | undefined {
  const id = cursor?.[CURSOR_FIELD];
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

export const ircRunner: SessionRunner = {
  async start({ source, config, cursor, parts, outbound, log, report }) {
    let failures = 0;
    const opened = { ...source, config };
    const cursorFrom = storedCursor(cursor);
    return startIrcBridge(opened, coreBridgeDeps(parts, opened, {
      log,
      outbound,
      ...(cursorFrom === undefined ? {} : { cursor: cursorFrom }),
      status(status) {
        if (status.state === 'joined') failures = 0;
        if (status.state === 'reconnecting') failures++;
        return report({ ok: status.state === 'joined', error: status.error, failures, cursor: { [CURSOR_FIELD]: status.cursor }, posted: status.posted, nextRunAt: status.nextAttemptAt });
      },
    }));
  },
};
