/**
 * Which addresses an integration may connect to: never loopback, private, link-local or other
 * special ranges (a feed URL must not reach the cloud metadata service or a database on the host),
 * unless OUTBOUND_ALLOW names them. Checked on the resolved address, so no DNS name can smuggle one in.
 */
import { BlockList, isIP } from 'node:net';

const REFUSED_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/3'];
const REFUSED_V6 = ['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8', '64:ff9b::/96'];

function rangeList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [net, bits] = range.split('/');
    const family = isIP(net!) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(net!, family);
    else list.addSubnet(net!, Number(bits), family);
  }
  return list;
}

const REFUSED = rangeList([...REFUSED_V4, ...REFUSED_V6]);

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is checked as the IPv4 address it is. */
function normalized(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export class AddressGuard {
  private readonly allowed: BlockList;

  /** `allow`: OUTBOUND_ALLOW, addresses or CIDR ranges separated by commas. */
  constructor(allow: string) {
    const entries = allow.split(',').map((e) => e.trim()).filter(Boolean);
    for (const e of entries) {
      if (!isIP(e.split('/')[0]!)) throw new Error(`OUTBOUND_ALLOW: "${e}" is not an IP address or CIDR range (e.g. 127.0.0.1,10.0.0.0/8)`);
    }
    this.allowed = rangeList(entries);
  }

  /** Why `address` may not be connected to; null when it may. */
  refusal(address: string): string | null {
    const { address: a, family } = normalized(address);
    if (!isIP(a)) return `${address} is not an IP address`;
    if (!REFUSED.check(a, family) || this.allowed.check(a, family)) return null;
    return `refused to connect to ${address}: a loopback, private or link-local address (allow it with OUTBOUND_ALLOW)`;
  }
}
