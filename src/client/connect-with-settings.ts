import { bootwaveDataConverter } from '../codec/data-converter';
import { connectionOptions, type TemporalSettings } from '../config/temporal-settings';
import { BootClient } from './boot-client';

/**
 * A client of these settings at `address`: their connection (TLS and API key for the configured server only), namespace
 * and task queue, and the payload codec the environment configures (`who` names the holder in a key error).
 */
export function connectWithSettings(settings: TemporalSettings, address: string, who: string): Promise<BootClient> {
  return BootClient.connect({
    ...connectionOptions(settings, address),
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    dataConverter: bootwaveDataConverter(process.env, who),
  });
}
