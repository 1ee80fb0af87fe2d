import { parsePortMapping } from './resolve-service-parts';
import type { Report, ServiceEntry } from './service-entry';

/** Two selected containers cannot publish the same host port: the second would fail to start mid-boot. */
export function checkHostPorts(entries: ReadonlyMap<string, ServiceEntry>, report: Report): void {
  const owners = new Map<string, string>();
  for (const entry of entries.values()) {
    if (!entry.active) continue;
    (entry.spec?.docker?.ports ?? []).forEach((text, index) => {
      const port = parsePortMapping(text);
      const key = `${port.hostIp}:${port.hostPort}/${port.protocol}`;
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, entry.name);
      else
        report(`services.${entry.name}.docker.ports[${index}]`, `host port ${key} is already published by "${owner}"`);
    });
  }
}
