import type { ServiceFile } from './plan-schema';
import { parseSize } from './size';

/** A service as the loader sees it while validating. */
export interface ServiceEntry {
  name: string;
  /** Undefined when the service failed the schema: its name still counts as known. */
  spec?: ServiceFile;
  /** Selected by the profiles. */
  active: boolean;
  /**
   * The service failed the schema and `spec` holds only its fields that passed: enough to check its references
   * (dependencies, pre-checks, profiles) in the same run, never enough to boot it.
   */
  partial?: boolean;
  /**
   * With `partial`: the fields the service sets that failed the schema, whose values are unknown (every field when
   * the service is not a mapping). A field it does not set is known: its default.
   */
  failedFields?: ReadonlySet<string> | 'all';
}

/** Whether a field of the service is known: the service passed the schema, or that field did (or was not set). */
export function knownField(entry: ServiceEntry, field: string): boolean {
  if (!entry.partial) return true;
  return entry.failedFields !== 'all' && !entry.failedFields?.has(field);
}

/** Reports a problem at a path of the plan. */
export type Report = (path: string, message: string) => void;

/** The service's declared memory in bytes, 0 when it declares none. */
export function memoryOf(entry: ServiceEntry): number {
  const memory = entry.spec?.resources?.memory;
  return memory === undefined ? 0 : (parseSize(memory) ?? 0);
}
