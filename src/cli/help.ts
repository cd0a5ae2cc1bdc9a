/** The CLI's commands as the help shows them: a line each in the global help, usage, options and an example each. */

export interface CommandHelp {
  /** Arguments and options after the command name, as the usage line shows them. */
  usage: string;
  summary: string;
  /** Option lines (`--json  print …`), the command's own and the global ones that apply. */
  options: string[];
  examples: string[];
}

const JSON_OPT = '--json            print JSON instead of text';
const WIDE_OPT = '--wide            do not fit tables to the terminal (one line per row)';
const CSV_OPT = '--output csv      print every finding as CSV (RFC 4180) instead of the summary';
const SNAPSHOT_OPT = '--snapshot ID     the snapshot to use (default: the latest)';
const PORT_OPT = '--port N          API port (overrides server.port)';

export const HELP: Record<string, CommandHelp> = {
  demo: {
    usage: '[--no-serve] [--port N] [--json | --output csv] [--wide]',
    summary: 'load the bundled catalogs and demo fleet into <dataDir>/demo, analyze, print findings, write the weekly report, serve the API',
    options: ['--no-serve        exit after the summary instead of serving the API', PORT_OPT, JSON_OPT, CSV_OPT, WIDE_OPT],
    examples: ['rightsize demo --no-serve', 'RIGHTSIZE_DATA_DIR=.rightsize/demo rightsize explain showcase-train-a100   # a demo finding in full'],
  },
  collect: {
    usage: '',
    summary: 'collect inventory and utilization from the enabled clouds into a snapshot (prints a JSON line)',
    options: [],
    examples: ['rightsize collect --config prod.yaml'],
  },
  prices: {
    usage: '[--json]',
    summary: 'refresh AWS, GCP and Azure prices into the store (laid over the bundled catalog)',
    options: [JSON_OPT],
    examples: ['rightsize prices'],
  },
  analyze: {
    usage: '[--snapshot ID] [--json | --output csv] [--wide]',
    summary: 'analyze the latest snapshot (or --snapshot ID), store the results and print the findings',
    options: [SNAPSHOT_OPT, JSON_OPT, CSV_OPT, WIDE_OPT],
    examples: ['rightsize analyze', 'rightsize analyze --output csv > findings.csv', 'rightsize analyze --json | jq \'.recommendations[0]\''],
  },
  evaluate: {
    usage: '[--snapshot ID] [--json] [--wide]',
    summary: 'walk-forward validation: each candidate policy\'s savings and out-of-sample time over capacity, per scope',
    options: [SNAPSHOT_OPT, JSON_OPT, WIDE_OPT],
    examples: ['rightsize evaluate'],
  },
  explain: {
    usage: '<recommendation-id | instance-id | name> [--snapshot ID] [--json] [--wide]',
    summary: 'print the full evidence of one stored recommendation: sizing, risk factors, backtest, out-of-sample folds, cross-cloud',
    options: [SNAPSHOT_OPT, JSON_OPT, WIDE_OPT],
    examples: ['rightsize explain showcase-train-a100', 'rightsize explain i-0abc123def4567890 --json'],
  },
  serve: {
    usage: '[--port N]',
    summary: 'serve the HTTP API on the configured host and port',
    options: [PORT_OPT],
    examples: ['rightsize serve --port 8080'],
  },
  report: {
    usage: '[ISO-WEEK] [--out DIR] [--json]',
    summary: 'write the weekly cost report (HTML, Markdown, JSON) to <dataDir>/reports and store it',
    options: ['ISO-WEEK          the week to report, e.g. 2026-W47 (default: the 7 days before now)', '--out DIR         write the files under DIR/reports instead', JSON_OPT],
    examples: ['rightsize report', 'rightsize report 2026-W47 --out /tmp'],
  },
  alerts: {
    usage: '[--json]',
    summary: 'evaluate budgets; send the highest crossed threshold of each kind to Slack, once',
    options: [JSON_OPT],
    examples: ['rightsize alerts'],
  },
  billing: {
    usage: 'import [<path|s3://bucket/prefix/export|https://acct.blob.core.windows.net/container/dir/export|gs://bucket/prefix> …] [--json]',
    summary: 'import FOCUS bills (CSV, gzip CSV, Parquet) and the configured cost APIs into the spend ledger; re-importing a period replaces it',
    options: ['SOURCE            a FOCUS export to import (default: every source in billing.*)', JSON_OPT],
    examples: ['rightsize billing import ./focus-2026-11.csv.gz', 'rightsize billing import s3://my-cur-bucket/exports/focus-daily', 'rightsize billing import   # billing.exports, billing.athena, billing.bigquery, billing.costApis'],
  },
  spend: {
    usage: '[--from DAY] [--to DAY] [--by DIMS] [--basis amortized|billed] [--cloud C] [--provider P] [--account A] [--service S] [--region R] [--tag k=v] [--json] [--wide]',
    summary: 'actual spend from the imported bill, grouped by day, month, cloud, provider, account, service, region, resource, chargeCategory or tag:<key>',
    options: [
      '--from DAY        first day, YYYY-MM-DD (default: the first of this month, UTC)',
      '--to DAY          last day, inclusive (default: today)',
      '--by DIMS         up to 3, comma-separated (default: day)',
      '--basis B         amortized (FOCUS EffectiveCost, default) or billed (BilledCost, as invoiced)',
      '--cloud C, --provider P, --account A, --service S, --region R, --tag k=v   only that cloud, FOCUS provider (Oracle, …), account, service, region or tag',
      JSON_OPT, WIDE_OPT,
    ],
    examples: ['rightsize spend --by service', 'rightsize spend --from 2026-10-01 --to 2026-10-31 --by account,service --basis billed', 'rightsize spend --by tag:team --json'],
  },
  doctor: {
    usage: '[--json]',
    summary: 'check secret references, cloud credentials, endpoints and the test tools, each with a fix',
    options: [JSON_OPT],
    examples: ['rightsize doctor'],
  },
  config: {
    usage: '[--json]',
    summary: 'say which config file was loaded and print the effective config (secrets redacted)',
    options: ['--json            print {"configFile", "config"} as JSON'],
    examples: ['rightsize config --config rightsize.config.yaml'],
  },
};

const GLOBAL_OPTIONS = [
  '--config FILE     config file (default: rightsize.config.{json,yaml,yml} in the current directory, or RIGHTSIZE_CONFIG)',
  '--verbose         print stack traces on errors',
  '-h, --help        help (rightsize <command> --help for one command)',
];

/** `rightsize --help`: every command with what it does and its usage line, then the global options. */
export function globalHelp(): string {
  return `Usage: rightsize <command> [options]

Commands:
${Object.entries(HELP)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n  ${' '.repeat(10)} rightsize ${name}${c.usage ? ` ${c.usage}` : ''}`)
  .join('\n')}

Options:
${GLOBAL_OPTIONS.map((o) => `  ${o}`).join('\n')}

Tables fit the terminal (or COLUMNS when the output is not a terminal; 100 by default); --wide turns that off.
Run "rightsize <command> --help" for a command's options and an example.
`;
}

/** `rightsize <command> --help`: usage, what it does, its options and examples. */
export function commandHelp(name: string): string {
  const c = HELP[name];
  if (!c) return globalHelp();
  return `Usage: rightsize ${name}${c.usage ? ` ${c.usage}` : ''}

${c.summary.charAt(0).toUpperCase()}${c.summary.slice(1)}.

Options:
${[...c.options, ...GLOBAL_OPTIONS].map((o) => `  ${o}`).join('\n')}

Example${c.examples.length > 1 ? 's' : ''}:
${c.examples.map((e) => `  ${e}`).join('\n')}
`;
}
