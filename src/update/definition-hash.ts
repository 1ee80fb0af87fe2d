import type { ServiceSpec } from '../plan/types';
import { stableJson } from '../stable-json';

/**
 * Fields of a service that do not change how its instance runs: a change to them alone updates the stack's plan
 * without restarting anything (the rollback policy, the critical-path estimate, the wave it is listed in, its
 * dependency edges, its restart policy).
 */
const notRunningFields = ['wave', 'dependsOn', 'critical', 'expectedStartMs', 'profiles', 'supervision'] as const;

/** The part of a service's definition that its running instance is made from: target, checks, budgets. */
export function runningDefinition(service: ServiceSpec): Record<string, unknown> {
  const definition: Record<string, unknown> = { ...service };
  for (const field of notRunningFields) delete definition[field];
  return definition;
}

/**
 * A service's definition hash (16 hex digits): two FNV-1a passes over the stable JSON of its running definition.
 * Pure (workflows compute it; `node:crypto` is not allowed there); a fingerprint to compare, not a security hash.
 */
export function definitionHash(service: ServiceSpec): string {
  const text = stableJson(runningDefinition(service));
  return fnv1a(text, 0x811c9dc5) + fnv1a(text, 0x01000193 ^ 0x5bd1e995);
}

function fnv1a(text: string, seed: number): string {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
