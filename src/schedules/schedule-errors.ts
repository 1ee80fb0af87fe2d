/** `schedule create` of an ID that exists: a second schedule of the same plan would double every update. */
export class ScheduleExistsError extends Error {
  override name = 'ScheduleExistsError';
  constructor(
    readonly scheduleId: string,
    options?: ErrorOptions,
  ) {
    super(
      `schedule ${scheduleId} already exists: \`bootwave schedule update ${scheduleId} <plan>\` replaces its plan, ` +
        `\`bootwave schedule delete ${scheduleId}\` removes it, --id names another`,
      options,
    );
  }
}

export class UnknownScheduleError extends Error {
  override name = 'UnknownScheduleError';
  constructor(
    readonly scheduleId: string,
    options?: ErrorOptions,
  ) {
    super(`no schedule ${scheduleId} on this server (\`bootwave schedule list\` shows them)`, options);
  }
}

/** The server refused a schedule (an invalid cron expression, …), or bootwave did; nothing was changed. */
export class ScheduleRefusedError extends Error {
  override name = 'ScheduleRefusedError';
}
