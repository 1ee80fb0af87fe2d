import { parsePortMapping } from './resolve-service-parts';
import type { Report, ServiceEntry } from './service-entry';

interface Published {
  service: string;
  hostIp: string;
  hostPort: number;
  protocol: string;
}

/** `127.0.0.1:8080/tcp`, `[::1]:8080/tcp`. */
function shown(port: Omit<Published, 'service'>): string {
  const ip = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  return `${ip}:${port.hostPort}/${port.protocol}`;
}

/** A wildcard address takes the port on every address of its family: 0.0.0.0 for IPv4, :: for IPv6. */
function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const family = (ip: string) => (ip.includes(':') ? 6 : 4);
  const wildcard = (ip: string) => ip === '0.0.0.0' || ip === '::';
  return family(a) === family(b) && (wildcard(a) || wildcard(b));
}

/**
 * Two selected containers cannot publish the same host port on overlapping addresses (the same one, or one of them
 * a wildcard of the other's family): the second would fail to start mid-boot.
 */
export function checkHostPorts(entries: ReadonlyMap<string, ServiceEntry>, report: Report): void {
  /** By `port/protocol`: a port is compared only with those of its own number, not with every one published. */
  const published = new Map<string, Published[]>();
  for (const entry of entries.values()) {
    if (!entry.active) continue;
    (entry.spec?.docker?.ports ?? []).forEach((text, index) => {
      const port = parsePortMapping(text);
      const number = `${port.hostPort}/${port.protocol}`;
      const sameNumber = published.get(number) ?? [];
      published.set(number, sameNumber);
      const owner = sameNumber.find((p) => overlaps(p.hostIp, port.hostIp));
      const key = shown(port);
      if (owner === undefined) sameNumber.push({ service: entry.name, ...port });
      else {
        const where = owner.hostIp === port.hostIp ? '' : ` (as ${shown(owner)})`;
        report(
          `services.${entry.name}.docker.ports[${index}]`,
          `host port ${key} is already published by "${owner.service}"${where}`,
        );
      }
    });
  }
}
