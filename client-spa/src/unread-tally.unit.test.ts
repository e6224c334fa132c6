import { BADGE_CAP, badgeText, markerRefused, NO_UNREAD, readAll, unreadTotal, withLiveMessage, withServerCount } from './unread-tally';

describe('UnreadTally', () => {
  it('adds live messages after the server count, and not the ones it holds', () => {
    let t = withServerCount(NO_UNREAD, 3, 40, null);
    t = withLiveMessage(t, 38); // held by the count already (the socket was late)
    t = withLiveMessage(t, 41);
    t = withLiveMessage(t, 41); // a backfill repeating a live one
    expect(unreadTotal(t)).toBe(4);
  });

  it('keeps a live message the next server count did not hold yet, and drops the ones it did', () => {
    let t = withServerCount(NO_UNREAD, 1, 10, null);
    t = withLiveMessage(t, 11);
    t = withLiveMessage(t, 12);
    // A flow list read after 11 was stored, answered after 12 arrived live.
    t = withServerCount(t, 2, 11, null);
    expect(unreadTotal(t)).toBe(3);
  });

  it('lowers the count when the server says fewer (read on another device), and ignores an older answer', () => {
    let t = withServerCount(NO_UNREAD, 5, 20, null);
    t = withServerCount(t, 0, 22, 22);
    expect(unreadTotal(t)).toBe(0);
    expect(withServerCount(t, 5, 20, null)).toBe(t);
  });

  it('counts only what comes after what was read here', () => {
    let t = withLiveMessage(withLiveMessage(withServerCount(NO_UNREAD, 2, 5, null), 6), 7);
    t = readAll(t, 7);
    expect(unreadTotal(t)).toBe(0);
    expect(unreadTotal(withLiveMessage(t, 7))).toBe(0);
    expect(unreadTotal(withLiveMessage(t, 8))).toBe(1);
  });

  it('ignores a count from a marker behind what was read here, and takes the next one', () => {
    let t = readAll(withServerCount(NO_UNREAD, 4, 30, 26), 30);
    // A flow list read before this page's marker (30) was stored: its count is from marker 26.
    expect(unreadTotal(withServerCount(t, 4, 31, 26))).toBe(0);
    t = withLiveMessage(t, 31);
    expect(unreadTotal(t)).toBe(1);
    // The marker arrived: the server's count holds 31.
    expect(unreadTotal(withServerCount(t, 1, 31, 30))).toBe(1);
  });

  it('takes the server count again once the marker of this page was refused', () => {
    const t = markerRefused(readAll(withServerCount(NO_UNREAD, 4, 30, 26), 30));
    expect(unreadTotal(withServerCount(t, 4, 31, 26))).toBe(4);
  });

  it('keeps at most BADGE_CAP live ids, the newest, and shows 99+ from there', () => {
    let t = NO_UNREAD;
    for (let id = 1; id <= 250; id++) t = withLiveMessage(t, id);
    expect(t.live).toHaveLength(BADGE_CAP);
    expect(t.live[0]).toBe(151);
    expect(badgeText(unreadTotal(t))).toBe('99+');
    expect(badgeText(99)).toBe('99');
    // A server count through 200 leaves the 50 after it.
    expect(unreadTotal(withServerCount(t, 100, 200, null))).toBe(150);
    // Read up to 260 (shown before its live event came): a late 255 does not count.
    expect(unreadTotal(withLiveMessage(readAll(t, 260), 255))).toBe(0);
  });
});
