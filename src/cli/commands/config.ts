import { CONFIG_FILE_NAMES, redactConfig } from '../../config.js';
import type { Command } from '../context.js';

/**
 * `rightsize config [--json]`: which file was loaded (or that none was, and where it looked), then the effective
 * config with environment overrides applied and secrets redacted.
 */
export const configCommand: Command = async (ctx) => {
  const config = redactConfig(ctx.config);
  if (ctx.flags.json) {
    ctx.stdout.write(`${JSON.stringify({ configFile: ctx.configFile ?? null, config })}\n`);
    return 0;
  }
  const source = ctx.configFile
    ? `Loaded ${ctx.configFile} (environment variables override it)`
    : `No config file: none of ${CONFIG_FILE_NAMES.join(', ')} in ${process.cwd()} and no --config or RIGHTSIZE_CONFIG; defaults and environment variables apply`;
  ctx.stdout.write(`${source}\n${JSON.stringify(config, null, 2)}\n`);
  return 0;
};
