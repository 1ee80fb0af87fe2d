import { validHostIp } from '../plan/plan-schema';
import { clip, isMap, shown, type Doc, type Report } from './compose-values';

/**
 * Short (`[ip:]host:container[/proto]`, an IPv6 host IP as `[::1]:` or `::1:`) and long syntax, read as Compose
 * reads them; published on 127.0.0.1 unless the file names an IP (an empty one names none). A range (`"18001-18003:80-82"`) is one mapping
 * per port, as Compose expands it. A port without a fixed host port (`"9000"`, `":80"`, `"127.0.0.1::443"`,
 * `published` absent or 0, a host range for one container port, from which Compose picks any free one) is not
 * published, with a warning. Problems quote what the file wrote.
 */
export function ports(
  value: unknown,
  path: string,
  error: Report,
  warn: Report,
  recordItem: (index: number, origin: string) => void,
): string[] {
  const out: string[] = [];
  if (!Array.isArray(value)) {
    error(path, 'must be a list');
    return out;
  }
  value.forEach((item, index) => {
    const at = `${path}[${index}]`;
    const parts = isMap(item) ? longPort(item, at, error, warn) : shortPort(item, at, error, warn);
    for (const port of parts === undefined ? [] : [parts].flat()) {
      const ip = port.hostIp ?? '127.0.0.1';
      const mapping = `${ip.includes(':') ? `[${ip}]` : ip}:${port.host}:${port.container}/${port.protocol}`;
      // The same mapping twice (or a range and one of its ports) is one, as Compose merges it.
      if (out.includes(mapping)) continue;
      recordItem(out.length, at);
      out.push(mapping);
    }
  });
  return out;
}

type PortParts = { hostIp?: string; host: number; container: number; protocol: string };
const portNumber = /^\d+$/;
const portRange = /^\d+-\d+$/;
const noHostPort = 'bootwave publishes fixed host ports only';
/** A long-syntax `published` range: Compose publishes the one container port on any free port of it. */
const anyOfRange = -1;

/** `"a-b"` → [a, b]; a single port → [n, n]. */
function bounds(text: string): [number, number] {
  const [from, to = from] = text.split('-').map(Number) as [number, number?];
  return [from, to];
}

function shortPort(item: unknown, at: string, error: Report, warn: Report): PortParts[] | undefined {
  if (typeof item !== 'string' && typeof item !== 'number')
    return void error(
      at,
      `must be a port string ("8080:80") or a mapping with target and published, got ${shown(item)}`,
    );
  const text = String(item);
  const said = clip(text);
  // As Compose splits it: the last part is the container port (and protocol), the one before the host port,
  // the rest the host IP (which may hold colons: IPv6).
  const parts = text.split(':');
  const last = parts.pop()!;
  const host = parts.pop();
  const ip = parts.length > 0 ? parts.join(':') : undefined;
  const [container = '', written = 'tcp', ...extra] = last.split('/');
  // Compose reads the protocol in any case (`/UDP`), and one protocol only.
  const protocol = extra.length > 0 ? `${written}/${extra.join('/')}` : written.toLowerCase();
  const form = `invalid port "${said}": expected [hostIp:]hostPort:containerPort[/tcp|udp]`;
  if (!portNumber.test(container) && !portRange.test(container)) return void error(at, form);
  if (host !== undefined && host !== '' && !portNumber.test(host) && !portRange.test(host)) return void error(at, form);
  let hostIp: string | undefined;
  // An empty host IP before a host port (":8080:80", often `${BIND_IP:-}:8080:80`) names none, as in Compose.
  if (ip !== undefined && !(ip === '' && host)) {
    hostIp = /^\[(.*)\]$/.exec(ip)?.[1] ?? ip;
    if (hostIp === '' || /[[\]]/.test(hostIp))
      return void error(at, `${form} (an IPv6 host IP in brackets: [::1]:8080:80)`);
    if (!validHostIp(hostIp)) return void error(at, `invalid host IP ${clip(hostIp)} in "${said}"`);
  }
  if ((protocol || 'tcp') !== 'tcp' && protocol !== 'udp')
    return void error(
      at,
      `invalid port "${said}": protocol "${clip(protocol)}" is not supported by bootwave (tcp or udp)`,
    );
  const [firstContainer, lastContainer] = bounds(container);
  if (firstContainer > lastContainer) return void error(at, `invalid port range "${clip(container)}" in "${said}"`);
  if (firstContainer < 1 || lastContainer > 65535)
    return void error(at, `container port must be from 1 to 65535, got ${clip(container)} in "${said}"`);
  if (host === undefined || host === '') return void warn(at, `ignored: port ${said} has no host port (${noHostPort})`);
  const [firstHost, lastHost] = bounds(host);
  if (firstHost > lastHost) return void error(at, `invalid port range "${clip(host)}" in "${said}"`);
  if (firstHost === 0) return void warn(at, `ignored: port ${said} asks for a random host port (${noHostPort})`);
  if (lastHost > 65535) return void error(at, `host port must be from 1 to 65535, got ${clip(host)} in "${said}"`);
  const count = lastContainer - firstContainer + 1;
  if (count === 1 && lastHost > firstHost)
    return void warn(at, `ignored: port ${said} asks for any free host port of a range (${noHostPort})`);
  if (lastHost - firstHost + 1 !== count)
    return void error(at, `invalid port "${said}": the host range and the container range differ in length`);
  return Array.from({ length: count }, (_, i) => ({
    ...(hostIp === undefined ? {} : { hostIp }),
    host: firstHost + i,
    container: firstContainer + i,
    protocol: protocol || 'tcp',
  }));
}

/** What a long-syntax port may say (Compose's schema); `x-` keys are the user's own. */
const longPortKeys = ['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol'];

/** `mode`, `name` and `app_protocol` have no effect on a container of a plain engine (Compose passes them on to none). */
function longPort(item: Doc, at: string, error: Report, warn: Report): PortParts | undefined {
  let bad = false;
  const fail = (key: string, message: string) => {
    error(`${at}.${key}`, message);
    bad = true;
  };
  for (const key of Object.keys(item))
    if (!key.startsWith('x-') && !longPortKeys.includes(key))
      fail(key, `unknown key (expected ${longPortKeys.join(', ')})`);
  const number = (key: 'target' | 'published'): number | undefined => {
    const value = item[key];
    const text = typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
    if (text !== undefined && portRange.test(text) && key === 'published') {
      const [from, to] = bounds(text);
      if (from > to) return void fail(key, `invalid port range ${shown(value)}`);
      if (to > 65535) return void fail(key, `must be a port number from 1 to 65535, got ${shown(value)}`);
      return from === to ? from : anyOfRange;
    }
    if (text !== undefined && portRange.test(text))
      return void fail(key, `must be one port number (a range is written in the short syntax), got ${shown(value)}`);
    if (text === undefined || !portNumber.test(text) || Number(text) > 65535)
      return void fail(key, `must be a port number from 1 to 65535, got ${shown(value)}`);
    return Number(text);
  };
  const container =
    item.target === undefined ? void fail('target', 'is required (the container port)') : number('target');
  if (container === 0) fail('target', 'must be a port number from 1 to 65535, got 0');
  const host = item.published === undefined || item.published === '' ? undefined : number('published');
  let hostIp: string | undefined;
  if (item.host_ip !== undefined) {
    if (typeof item.host_ip !== 'string' || !validHostIp(item.host_ip))
      fail('host_ip', `invalid IP address ${shown(item.host_ip)} (an IPv4 or IPv6 address, without brackets)`);
    else hostIp = item.host_ip;
  }
  const protocol = typeof item.protocol === 'string' ? item.protocol.toLowerCase() : (item.protocol ?? 'tcp');
  if (protocol !== 'tcp' && protocol !== 'udp')
    fail('protocol', `${shown(protocol)} is not supported by bootwave (tcp or udp)`);
  if (bad || container === undefined) return undefined;
  if (item.published === undefined || item.published === '')
    return void warn(at, `ignored: port ${container} has no host port (${noHostPort})`);
  if (host === 0) return void warn(at, `ignored: port ${container} asks for a random host port (${noHostPort})`);
  if (host === anyOfRange)
    return void warn(
      at,
      `ignored: port ${container} asks for any free host port of ${String(item.published)} (${noHostPort})`,
    );
  if (host === undefined) return undefined;
  return { ...(hostIp === undefined ? {} : { hostIp }), host, container, protocol: protocol as string };
}
