import { AddressGuard } from './address-guard';
import { guardedGet } from './guarded-fetch';

const limits = { timeoutMs: 2000, maxBytes: 1024 };

describe('guardedGet', () => {
  it('refuses a host name that resolves to loopback, after resolving it, before connecting', async () => {
    await expect(guardedGet('http://localhost:9/feed.xml', {}, new AddressGuard(''), limits)).rejects.toThrow(/refused to connect to (127\.0\.0\.1|::1)/);
  });

  it('refuses an address written in the URL', async () => {
    await expect(guardedGet('http://[::1]:9/', {}, new AddressGuard(''), limits)).rejects.toThrow(/refused to connect to ::1/);
    await expect(guardedGet('http://169.254.169.254/latest/meta-data/', {}, new AddressGuard(''), limits)).rejects.toThrow(/refused to connect to 169\.254\.169\.254/);
  });
});
