import { AddressGuard } from './address-guard';

describe('the outbound address guard', () => {
  const strict = new AddressGuard('');

  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254'])(
    'refuses %s',
    (address) => expect(strict.refusal(address)).toMatch(/loopback, private or link-local.*OUTBOUND_ALLOW/),
  );

  it.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '172.32.0.1'])('admits the public address %s', (address) => {
    expect(strict.refusal(address)).toBeNull();
  });

  it('admits exactly what OUTBOUND_ALLOW names, addresses and ranges', () => {
    const guard = new AddressGuard('127.0.0.1, 10.0.0.0/8');
    expect(guard.refusal('127.0.0.1')).toBeNull();
    expect(guard.refusal('10.200.0.1')).toBeNull();
    expect(guard.refusal('127.0.0.2')).not.toBeNull();
    expect(guard.refusal('169.254.169.254')).not.toBeNull();
  });

  it('refuses a bad OUTBOUND_ALLOW entry by name', () => {
    expect(() => new AddressGuard('localhost')).toThrow(/OUTBOUND_ALLOW: "localhost" is not an IP address/);
  });
});
