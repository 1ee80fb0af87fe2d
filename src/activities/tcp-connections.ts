import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Established TCP connections to any of `ports` on this host, from /proc/net/tcp and tcp6 — except those whose
 * peer is a socket of this process: a probe's pooled connection must not keep a service "in use".
 */
export function establishedConnections(ports: readonly number[]): number {
  if (ports.length === 0) return 0;
  const rows: { local: string; remote: string; inode: string }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // 01: ESTABLISHED
      if (fields.length >= 10 && fields[3] === '01')
        rows.push({ local: fields[1]!, remote: fields[2]!, inode: fields[9]! });
    }
  }
  const own = ownSocketInodes();
  const ownEndpoints = new Set(rows.filter((r) => own.has(r.inode)).map((r) => r.local));
  return rows.filter((r) => ports.includes(parseInt(r.local.split(':')[1] ?? '', 16)) && !ownEndpoints.has(r.remote))
    .length;
}

function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync('/proc/self/fd')) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
        if (match) inodes.add(match[1]!);
      } catch {
        // Closed meanwhile.
      }
    }
  } catch {
    // No /proc: nothing to exclude.
  }
  return inodes;
}
