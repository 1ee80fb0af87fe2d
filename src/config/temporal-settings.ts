/** Where bootwave's Temporal lives; environment first, then these defaults. */
export interface TemporalSettings {
  /** An existing server; when absent the CLI starts the embedded dev server. */
  address?: string;
  namespace: string;
  taskQueue: string;
}

export const defaultTaskQueue = 'bootwave';

export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  return {
    address: env.TEMPORAL_ADDRESS || undefined,
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.BOOTWAVE_TASK_QUEUE || defaultTaskQueue,
  };
}
