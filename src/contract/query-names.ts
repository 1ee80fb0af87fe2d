/**
 * The names of the queries clients read boots and stacks with, apart from their definitions: `status` reads them
 * through a client that loads no Temporal SDK (`src/client/grpc-workflow-reader.ts`).
 */
export const queryNames = {
  /** A boot's live state (`bootStatusQuery`). */
  bootStatus: 'status',
  /** One wave's services (`waveStatusQuery`). */
  waveStatus: 'waveStatus',
  /** A supervised stack's live state (`stackStatusQuery`). */
  stackStatus: 'stackStatus',
} as const;
