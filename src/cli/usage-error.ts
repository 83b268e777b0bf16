/**
 * A refusal of what a command was given on its command line: one sentence on standard error, exit code 2, nothing made
 * or changed (src/cli/main.ts). Apart from usage.ts's checks so that main.ts loads nothing else for it.
 */
export class CliUsageError extends Error {}
