import { readFileSync } from 'node:fs';
import { CodecConfigError } from './codec-errors';

/** One AES-256 key and the id stored beside every payload it encrypts. */
export interface CodecKey {
  id: string;
  key: Buffer;
}

/** The keys a process holds: the first encrypts; every one decrypts, so payloads written before a rotation stay readable. */
export interface CodecKeyring {
  encrypting: CodecKey;
  byId: ReadonlyMap<string, CodecKey>;
}

/** `BOOTWAVE_CODEC_KEYS`: `<id>:<base64 of 32 bytes>` entries, comma- or newline-separated, the encrypting key first. */
export const codecKeysVar = 'BOOTWAVE_CODEC_KEYS';
/** `BOOTWAVE_CODEC_KEY_FILE`: a file with the same entries (one a line, `#` comments), for a mounted Secret. */
export const codecKeyFileVar = 'BOOTWAVE_CODEC_KEY_FILE';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Parses a key list; `origin` names where it came from in messages. Messages never quote key material: a mistake
 * says which entry (by position and id) is wrong and why.
 */
export function parseCodecKeys(text: string, origin: string): CodecKeyring {
  const entries = text
    .split(/[,\n]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
  if (entries.length === 0) throw new CodecConfigError(`${origin}: no keys (expected <id>:<base64 of 32 bytes>, ...)`);
  const byId = new Map<string, CodecKey>();
  const keys = entries.map((entry, index) => {
    const where = `${origin}: key ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new CodecConfigError(`${where} is not <id>:<base64 of 32 bytes>`);
    const id = entry.slice(0, colon).trim();
    const material = entry.slice(colon + 1).trim();
    if (!idPattern.test(id))
      throw new CodecConfigError(`${where}: invalid id "${id}" (letters, digits, ".", "_", "-"; at most 64)`);
    if (byId.has(id)) throw new CodecConfigError(`${where}: id "${id}" is listed twice`);
    const key = Buffer.from(material, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(material) || key.length !== 32)
      throw new CodecConfigError(
        `${where} ("${id}") must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`), got ${key.length} bytes`,
      );
    const codecKey = { id, key };
    byId.set(id, codecKey);
    return codecKey;
  });
  return { encrypting: keys[0]!, byId };
}

/** The keyring configured in the environment, or undefined when the codec is off (neither variable set). */
export function codecKeyringFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): CodecKeyring | undefined {
  const inline = env[codecKeysVar];
  const file = env[codecKeyFileVar];
  if (inline && file) throw new CodecConfigError(`set ${codecKeysVar} or ${codecKeyFileVar}, not both`);
  if (inline) return parseCodecKeys(inline, codecKeysVar);
  if (!file) return undefined;
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CodecConfigError(`${codecKeyFileVar}: cannot read ${file} (${code})`);
  }
  return parseCodecKeys(text, file);
}
