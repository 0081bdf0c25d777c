/**
 * An error the user can act on: one line saying what went wrong, one line with the command that
 * fixes it, and the exit code from the documented table.
 */
import { ExitCode } from './exitCodes';

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    /** The corrected command line or the next step, printed after `try: `. */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** The two lines printed on stderr. */
  render(): string {
    return `error: ${this.message}\n` + (this.fix ? `try: ${this.fix}\n` : '');
  }
}

export const usageError = (message: string, fix?: string) =>
  new CliError(ExitCode.Usage, message, fix);
export const configError = (message: string, fix?: string) =>
  new CliError(ExitCode.Config, message, fix);
export const accessError = (message: string, fix?: string) =>
  new CliError(ExitCode.Access, message, fix);
