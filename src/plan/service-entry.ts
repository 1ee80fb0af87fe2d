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
}

/** Reports a problem at a path of the plan. */
export type Report = (path: string, message: string) => void;

/** The service's declared memory in bytes, 0 when it declares none. */
export function memoryOf(entry: ServiceEntry): number {
  const memory = entry.spec?.resources?.memory;
  return memory === undefined ? 0 : (parseSize(memory) ?? 0);
}
