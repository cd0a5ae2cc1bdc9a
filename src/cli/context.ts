import type { Config } from '../config.js';
import type { Progress } from './progress.js';

/** What every command receives: validated config, parsed flags, streams, the clock and progress reporting. */
export interface CommandContext {
  config: Config;
  flags: CliFlags;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  nowMs: () => number;
  progress: Progress;
  /** Columns to fit text tables to: the terminal's, `COLUMNS`, 100, or Infinity with `--wide` (see width.ts). */
  width: number;
  /** The config file loaded, or undefined when only defaults and the environment apply. */
  configFile?: string;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands await it. */
  untilSignal: () => Promise<void>;
}

export interface CliFlags {
  verbose: boolean;
  serve: boolean;
  port?: number;
  json: boolean;
  /** `--output csv`: the findings as CSV (analyze, demo). */
  output?: 'csv';
  wide: boolean;
  snapshot?: string;
  out?: string;
  /** `rightsize spend` options. */
  spend?: { from?: string; to?: string; by?: string; basis?: string; cloud?: string; provider?: string; account?: string; service?: string; region?: string; tag?: string };
}

export type Command = (ctx: CommandContext, positionals: string[]) => Promise<number>;
