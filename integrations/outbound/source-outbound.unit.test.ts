import { AddressGuard } from './address-guard';
import { newBreaker, sourceOutbound } from './source-outbound';

const settings = (allow: string) => ({ guard: new AddressGuard(allow), limits: { timeoutMs: 1000, maxBytes: 1000 }, breakerOpenMs: 60_000 });

describe('an outbound connection for another protocol (IMAP)', () => {
  it('refuses a loopback or link-local host before connecting, unless OUTBOUND_ALLOW names it', async () => {
    const used: string[] = [];
    const use = async ({ address }: { address: string }) => void used.push(address);
    const out = sourceOutbound(settings(''), newBreaker(60_000));
    await expect(out.connect('127.0.0.1', use)).rejects.toThrow(/refused to connect to 127\.0\.0\.1/);
    await expect(out.connect('169.254.169.254', use)).rejects.toThrow(/refused to connect to 169\.254\.169\.254/);
    await expect(out.connect('localhost', use)).rejects.toThrow(/refused to connect to (127\.0\.0\.1|::1)/);
    expect(used).toEqual([]);
    await sourceOutbound(settings('127.0.0.1'), newBreaker(60_000)).connect('127.0.0.1', use);
    expect(used).toEqual(['127.0.0.1']);
  });

  it('opens the breaker after 3 failures in a row and then does not call at all', async () => {
    const out = sourceOutbound(settings('127.0.0.1'), newBreaker(60_000));
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('no greeting');
    };
    for (let i = 0; i < 3; i++) await expect(out.connect('127.0.0.1', failing)).rejects.toThrow('no greeting');
    await expect(out.connect('127.0.0.1', failing)).rejects.toThrow(/circuit open after 3 failures in a row: not calling 127\.0\.0\.1/);
    expect(calls).toBe(3);
  });
});
