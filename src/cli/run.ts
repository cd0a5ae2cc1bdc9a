import { parseArgs } from 'node:util';
import { findConfigFile, loadConfig } from '../config.js';
import { ConfigError, RightsizeError } from '../errors.js';
import { alertsCommand } from './commands/alerts.js';
import { analyzeCommand } from './commands/analyze.js';
import { collectCommand } from './commands/collect.js';
import { evaluateCommand } from './commands/evaluate.js';
import { pricesCommand } from './commands/prices.js';
import { reportCommand } from './commands/report.js';
import { demoCommand } from './commands/demo.js';
import { configCommand } from './commands/config.js';
import { doctorCommand } from './commands/doctor.js';
import { explainCommand } from './commands/explain.js';
import { serveCommand } from './commands/serve.js';
import { billingCommand } from './commands/billing.js';
import { spendCommand } from './commands/spend.js';
import type { CliFlags, Command, CommandContext } from './context.js';
import { commandHelp, globalHelp, HELP } from './help.js';
import { createProgress } from './progress.js';
import { outputWidth } from './width.js';

const COMMANDS: Record<keyof typeof HELP, Command> = {
  demo: demoCommand,
  collect: collectCommand,
  prices: pricesCommand,
  analyze: analyzeCommand,
  evaluate: evaluateCommand,
  explain: explainCommand,
  serve: serveCommand,
  report: reportCommand,
  alerts: alertsCommand,
  billing: billingCommand,
  spend: spendCommand,
  doctor: doctorCommand,
  config: configCommand,
};

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  nowMs: () => number;
}

/** Runs one CLI invocation and returns its exit code; errors become one line unless --verbose. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        'no-serve': { type: 'boolean', default: false },
        port: { type: 'string' },
        snapshot: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        by: { type: 'string' },
        basis: { type: 'string' },
        cloud: { type: 'string' },
        account: { type: 'string' },
        provider: { type: 'string' },
        region: { type: 'string' },
        service: { type: 'string' },
        tag: { type: 'string' },
        json: { type: 'boolean', default: false },
        output: { type: 'string' },
        wide: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    verbose = values.verbose;
    const [name, ...rest] = positionals;
    if (name === 'help') {
      io.stdout.write(rest[0] ? commandHelp(rest[0]) : globalHelp());
      return 0;
    }
    if (!name) {
      io.stdout.write(globalHelp());
      return values.help ? 0 : 2;
    }
    const command = isCommand(name) ? COMMANDS[name] : undefined;
    if (!command) {
      io.stderr.write(`rightsize: unknown command "${name}"\n\n${globalHelp()}`);
      return 2;
    }
    if (values.help) {
      io.stdout.write(commandHelp(name));
      return 0;
    }
    if (values.output !== undefined && values.output !== 'csv') throw new RightsizeError(`--output: the only format is csv, got "${values.output}"`);
    if (values.output !== undefined && name !== 'analyze' && name !== 'demo') throw new RightsizeError(`--output csv: only analyze and demo print findings`);
    if (values.output !== undefined && values.json) throw new RightsizeError('--json and --output csv: choose one');
    const configOptions = { ...(values.config ? { configPath: values.config } : {}), env: io.env };
    const config = loadConfig(configOptions);
    const configFile = findConfigFile(configOptions);
    const flags: CliFlags = { verbose, serve: !values['no-serve'], json: values.json, wide: values.wide, ...(values.output === 'csv' ? { output: 'csv' as const } : {}) };
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RightsizeError(`--port: expected an integer 0-65535, got "${values.port}"`);
      flags.port = port;
    }
    if (values.snapshot !== undefined) flags.snapshot = values.snapshot;
    if (values.out !== undefined) flags.out = values.out;
    const spendFlags = Object.fromEntries((['from', 'to', 'by', 'basis', 'cloud', 'provider', 'account', 'service', 'region', 'tag'] as const).filter((k) => values[k] !== undefined).map((k) => [k, values[k] as string]));
    if (Object.keys(spendFlags).length > 0) {
      if (name !== 'spend') throw new RightsizeError(`--${Object.keys(spendFlags)[0]}: only rightsize spend takes it`);
      flags.spend = spendFlags;
    }
    const ctx: CommandContext = {
      config,
      flags,
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
      nowMs: io.nowMs,
      progress: createProgress({ stream: io.stderr as NodeJS.WriteStream, quiet: values.json || values.output !== undefined }),
      width: outputWidth(io.stdout, io.env, values.wide),
      ...(configFile ? { configFile } : {}),
      untilSignal: () => untilSignal(io.env),
    };
    return await command(ctx, rest);
  } catch (err) {
    if (err instanceof ConfigError) {
      // Every config issue, one line each (`file: field: problem`), and no "--verbose" nudge: a stack adds nothing.
      for (const line of err.message.split('\n')) io.stderr.write(`rightsize: error: ${line}\n`);
      if (verbose && err.stack) io.stderr.write(`${err.stack}\n`);
      return 1;
    }
    io.stderr.write(`rightsize: error: ${describeError(err)}\n`);
    if (verbose && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    if (verbose && err instanceof Error && err.cause instanceof Error && err.cause.stack) io.stderr.write(`caused by: ${err.cause.stack}\n`);
    if (!verbose) io.stderr.write('(run with --verbose for details)\n');
    return 1;
  }
}

function isCommand(name: string): name is keyof typeof COMMANDS {
  return Object.hasOwn(COMMANDS, name);
}

/**
 * Resolves on SIGINT, SIGTERM or SIGHUP. Under npm (`npm start`), also when the parent process goes away: npm's
 * `sh -c` does not forward signals, so a server whose npm was stopped must notice it has been orphaned.
 */
function untilSignal(env: Record<string, string | undefined>): Promise<void> {
  return new Promise<void>((resolve) => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    let watch: NodeJS.Timeout | undefined;
    const done = () => {
      for (const s of signals) process.off(s, done);
      clearInterval(watch);
      resolve();
    };
    for (const s of signals) process.once(s, done);
    if (env['npm_lifecycle_event'] !== undefined) {
      const parent = process.ppid;
      watch = setInterval(() => {
        if (process.ppid !== parent) done();
      }, 500);
      watch.unref();
    }
  });
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    // parseArgs errors carry a code and a clear message; ours are already one line.
    return err.message.split('\n')[0] ?? err.name;
  }
  return String(err);
}
