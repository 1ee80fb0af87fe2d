import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';

/** A listening TCP socket of this network namespace: its bound address, its port, and connections it has not accepted. */
export interface Listener {
  /** Dotted IPv4 (`0.0.0.0` for any), `::` or `::1`; other IPv6 addresses are kept as their table hex. */
  address: string;
  port: number;
  /** The accept queue: connections the kernel completed and the service has not taken yet. */
  queued: number;
}

export interface ListeningSocketsOptions {
  /** A table read serves lookups this long. */
  maxAgeMs?: number;
  /** Below this many lookups in the last second, a connection per check is cheaper than reading the table. */
  minLookupsPerSecond?: number;
  readTable?: () => Listener[] | undefined;
  now?: () => number;
}

/**
 * The kernel's table of listening TCP sockets, shared by every plain TCP check of a loopback address on a worker.
 *
 * A check's connection is answered by the kernel, not by the service, so it proves what the table shows: a socket
 * listening on that address and port. Reading the table costs about ten connections (the kernel walks its whole
 * socket hash), so it pays only when many checks share a read: 200 services checked every second cost 200
 * connections a second, or two reads. Only a sure "listening" is taken from the table — bound to the address or
 * to the family's wildcard, with nothing waiting in its accept queue (a service that stopped accepting). Anything
 * else (a port not listed, an IPv6 wildcard that may refuse IPv4, a queue, too few lookups) makes the caller
 * connect, so every failure is still a real connection's failure with its own message.
 */
export class ListeningSockets {
  private table: Listener[] | undefined;
  private readAtMs = Number.NEGATIVE_INFINITY;
  private second = { startMs: 0, lookups: 0, lookupsBefore: 0 };
  private readonly maxAgeMs: number;
  private readonly minLookupsPerSecond: number;
  private readonly readTable: () => Listener[] | undefined;
  private readonly now: () => number;

  constructor(options: ListeningSocketsOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 500;
    this.minLookupsPerSecond = options.minLookupsPerSecond ?? 20;
    this.readTable = options.readTable ?? readListeners;
    this.now = options.now ?? Date.now;
  }

  /** True when the table shows that a connection to `host`:`port` would be accepted now; false when unsure. */
  accepts(host: string, port: number): boolean {
    const addresses = loopbackAddresses(host);
    if (!addresses || !this.busy()) return false;
    return (this.current() ?? []).some((l) => l.port === port && l.queued === 0 && addresses.includes(l.address));
  }

  /** Counts this lookup; true when the previous full second had enough of them to pay for reading the table. */
  private busy(): boolean {
    const nowMs = this.now();
    const elapsedMs = nowMs - this.second.startMs;
    if (elapsedMs >= 1000)
      this.second = { startMs: nowMs, lookups: 0, lookupsBefore: elapsedMs < 2000 ? this.second.lookups : 0 };
    this.second.lookups += 1;
    return this.second.lookupsBefore >= this.minLookupsPerSecond;
  }

  private current(): Listener[] | undefined {
    const nowMs = this.now();
    if (nowMs - this.readAtMs >= this.maxAgeMs) {
      this.table = this.readTable();
      this.readAtMs = nowMs;
    }
    return this.table;
  }
}

/**
 * The table addresses whose listeners accept a connection to `host`, for loopback hosts only (the worker's own
 * namespace is the one the table describes). An IPv4 connection may go to the IPv4 wildcard but not to `::`,
 * whose socket may be IPv6-only (nginx's default).
 */
function loopbackAddresses(host: string): string[] | undefined {
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return [host, '0.0.0.0'];
  if (host === '::1' || host === '[::1]') return ['::1', '::'];
  // Node tries each address `localhost` resolves to: a listener on either answers.
  if (host === 'localhost') return ['127.0.0.1', '0.0.0.0', '::1', '::'];
  return undefined;
}

/** The listening sockets in /proc/net/tcp and tcp6, or undefined when they cannot be read. */
export function readListeners(): Listener[] | undefined {
  try {
    return [
      ...parseListeners(readFileSync('/proc/net/tcp', 'utf8'), 4),
      ...parseListeners(readFileSync('/proc/net/tcp6', 'utf8'), 6),
    ];
  } catch {
    return undefined;
  }
}

/** Rows in state 0A (LISTEN) of a /proc/net/tcp{,6} table; the kernel prints each address word in host order. */
export function parseListeners(text: string, family: 4 | 6, byteOrder = endianness()): Listener[] {
  const listeners: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || fields[3] !== '0A') continue;
    const [addressHex = '', portHex = ''] = fields[1]!.split(':');
    const queued = parseInt(fields[4]!.split(':')[1] ?? '0', 16);
    const address = family === 4 ? ipv4(addressHex, byteOrder) : ipv6(addressHex, byteOrder);
    listeners.push({ address, port: parseInt(portHex, 16), queued });
  }
  return listeners;
}

function ipv4(hex: string, byteOrder: 'BE' | 'LE'): string {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return (byteOrder === 'LE' ? bytes.reverse() : bytes).join('.');
}

function ipv6(hex: string, byteOrder: 'BE' | 'LE'): string {
  if (/^0{32}$/.test(hex)) return '::';
  if (hex === (byteOrder === 'LE' ? '00000000000000000000000001000000' : '00000000000000000000000000000001'))
    return '::1';
  return hex;
}
