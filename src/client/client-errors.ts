/**
 * The client's own errors, in a module of their own: commands that only test for them (`instanceof`) need not load
 * `@temporalio/client`, whose import is most of a command's start-up.
 */

/** A boot refused a control (pause, resume, cancel): it has finished, is rolling back, or is being cancelled. */
export class BootControlRefusedError extends Error {
  override name = 'BootControlRefusedError';
}

/** A running stack that no worker answers: its state is unknown, and nothing supervises it until one polls. */
export class StackUnansweredError extends Error {
  override name = 'StackUnansweredError';
}

/** A running boot that no worker runs: its live state is unknown, and it makes no progress until one polls. */
export class BootUnansweredError extends Error {
  override name = 'BootUnansweredError';
}
