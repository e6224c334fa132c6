import { flowAddress, parseFlowAddress } from './mail-address';

describe('flow mail addresses', () => {
  it('round-trips a flow address, whatever the case', () => {
    expect(flowAddress('acme', 'main', 'mail.test')).toBe('main@acme.mail.test');
    expect(parseFlowAddress('Main@ACME.Mail.Test', 'mail.test')).toEqual({ org: 'acme', flow: 'main' });
  });

  it('refuses addresses of other domains, subdomains and odd local parts', () => {
    for (const a of ['main@acme.other.test', 'main@mail.test', 'main@x.acme.mail.test', 'ma in@acme.mail.test', '@acme.mail.test', 'main', 'a"b@acme.mail.test']) {
      expect(parseFlowAddress(a, 'mail.test')).toBeNull();
    }
  });
});
