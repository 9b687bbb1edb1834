import { ConfigError, loadConfig, type Config } from '../config.ts';
import { QueryError } from '../retrieval/query.ts';

/**
 * Runs a command-line entry point: loads and validates configuration, turns known errors into one clear line on
 * stderr and a non-zero exit, and never prints a stack trace at a person for bad input.
 */
export function runCli(main: (config: Config, argv: string[]) => Promise<number | void>): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  main(config, process.argv.slice(2)).then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      if (err instanceof QueryError || err instanceof UsageError) {
        process.stderr.write(`Lỗi: ${err.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

export class UsageError extends Error {}
