/** The bus's control messages read back as written, and anything malformed is refused (null), never half-read. */
import { accessRevokedMessage, credentialsChangedMessage, parseAccessRevoked, parseCredentialsChanged } from './control';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

it('reads an access revocation, with or without `event`, and refuses a malformed one', () => {
  expect(parseAccessRevoked(bytes(accessRevokedMessage(9, ['f1'])))).toEqual(accessRevokedMessage(9, ['f1']));
  expect(parseAccessRevoked(bytes({ userId: 9, flowIds: [] }))).toEqual(accessRevokedMessage(9, []));
  for (const bad of ['not json', 'null', '[]', { userId: '9', flowIds: [] }, { userId: 9, flowIds: [1] }]) expect(parseAccessRevoked(bytes(bad))).toBeNull();
});

it('reads a credentials change and refuses a malformed one (another event, a user id that is not one)', () => {
  expect(parseCredentialsChanged(bytes(credentialsChangedMessage(9)))).toEqual(credentialsChangedMessage(9));
  for (const bad of ['not json', 'null', '7', { userId: 9 }, { event: 'access-revoked', userId: 9 }, { event: 'credentials-changed', userId: 1.5 }]) {
    expect(parseCredentialsChanged(bytes(bad))).toBeNull();
  }
});
