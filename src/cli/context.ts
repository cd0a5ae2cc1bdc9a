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
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands await it. */
  untilSignal: () => Promise<void>;
}

export interface CliFlags {
  verbose: boolean;
  serve: boolean;
  port?: number;
  json: boolean;
  snapshot?: string;
  out?: string;
}

export type Command = (ctx: CommandContext, positionals: string[]) => Promise<number>;
