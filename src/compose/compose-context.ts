/** Where the Compose file lives and what the environment holds; paths stay here, the mapping does no IO. */
export interface ComposeContext {
  file: string;
  /** Project name when the file names none: Compose uses the folder's name. */
  defaultName: string;
  /** `COMPOSE_PROJECT_NAME`: wins over the file's `name`, as in Compose. */
  projectName?: string;
  /** The selected profiles: what is checked across services (container names) looks at the active ones only. */
  profiles?: ReadonlySet<string>;
  /** Makes a relative bind-mount source absolute (against the Compose file's folder). */
  resolvePath: (path: string) => string;
  /** Variables for bare `environment: [KEY]` entries (the environment and `.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads an `env_file` (`raw`: Compose's `format: raw`, values verbatim); undefined when it does not exist. */
  readEnvFile: (path: string, options: { raw: boolean }) => Record<string, string> | undefined;
}
