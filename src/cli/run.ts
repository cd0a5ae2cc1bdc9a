import { parseArgs } from 'node:util';
import { loadConfig, redactConfig } from '../config.js';
import { ConfigError, RightsizeError } from '../errors.js';
import { alertsCommand } from './commands/alerts.js';
import { analyzeCommand } from './commands/analyze.js';
import { collectCommand } from './commands/collect.js';
import { evaluateCommand } from './commands/evaluate.js';
import { pricesCommand } from './commands/prices.js';
import { reportCommand } from './commands/report.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { serveCommand } from './commands/serve.js';
import type { CliFlags, Command, CommandContext } from './context.js';
import { createProgress } from './progress.js';

const COMMANDS: Record<string, { run: Command; help: string }> = {
  demo: { run: demoCommand, help: 'load the bundled catalogs and demo fleet, analyze, print findings, serve the API' },
  collect: { run: collectCommand, help: 'collect inventory and utilization from the enabled clouds into a snapshot' },
  prices: { run: pricesCommand, help: 'refresh AWS, GCP and Azure prices into the store (laid over the bundled catalog)' },
  analyze: { run: analyzeCommand, help: 'analyze the latest snapshot (or --snapshot ID) and store the results' },
  evaluate: { run: evaluateCommand, help: 'compare the candidate right-sizing policies out of sample on the latest snapshot (or --snapshot ID)' },
  serve: { run: serveCommand, help: 'serve the HTTP API on the configured host and port' },
  report: { run: reportCommand, help: 'write the weekly cost report (HTML, Markdown, JSON) and store it' },
  alerts: { run: alertsCommand, help: 'evaluate budgets and send each crossed threshold to Slack once' },
  doctor: { run: doctorCommand, help: 'check secret references, cloud credentials, endpoints and the test tools, each with a fix hint' },
  config: {
    run: async (ctx) => {
      ctx.stdout.write(`${JSON.stringify(redactConfig(ctx.config), null, 2)}\n`);
      return 0;
    },
    help: 'print the effective configuration (secrets redacted)',
  },
};

const USAGE = `Usage: rightsize <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.help}`)
  .join('\n')}

Options:
  --config FILE     config file (default: rightsize.config.{json,yaml} in the current directory)
  --no-serve        demo: exit after the summary instead of serving the API
  --port N          API port (overrides server.port)
  --snapshot ID     analyze, evaluate: the snapshot to use (default: latest)
  --out DIR         report: write the files under DIR/reports (default: the data directory)
  --json            print machine-readable JSON instead of tables
  --verbose         print stack traces on errors
  -h, --help        this help
`;

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
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
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    verbose = values.verbose;
    const [name, ...rest] = positionals;
    if (values.help || !name) {
      io.stdout.write(USAGE);
      return values.help ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) {
      io.stderr.write(`rightsize: unknown command "${name}"\n\n${USAGE}`);
      return 2;
    }
    const config = loadConfig({ ...(values.config ? { configPath: values.config } : {}), env: io.env });
    const flags: CliFlags = { verbose, serve: !values['no-serve'], json: values.json };
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RightsizeError(`--port: expected an integer 0-65535, got "${values.port}"`);
      flags.port = port;
    }
    if (values.snapshot !== undefined) flags.snapshot = values.snapshot;
    if (values.out !== undefined) flags.out = values.out;
    const ctx: CommandContext = {
      config,
      flags,
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
      nowMs: io.nowMs,
      progress: createProgress({ stream: io.stderr as NodeJS.WriteStream, quiet: values.json }),
      untilSignal: () => untilSignal(io.env),
    };
    return await command.run(ctx, rest);
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
