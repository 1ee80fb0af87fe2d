import type { Observation } from '../contract/supervision';

const exitedPattern = /exited with code (-?\d+)(?:: ([\s\S]*))?$/;

/**
 * A restart that did not become ready, as an observation for the restart decision: "service api exited with code
 * 1: <log tail>" (the boot's own failure message) is an exit with its code and tail; anything else (unhealthy,
 * not healthy in time) is an unhealthy service.
 */
export function failureObservation(message: string, atMs: number): Observation {
  const exited = exitedPattern.exec(message);
  if (exited) return { kind: 'exited', atMs, exitCode: Number(exited[1]), logTail: exited[2] ?? '' };
  return { kind: 'unhealthy', atMs, reason: message };
}
