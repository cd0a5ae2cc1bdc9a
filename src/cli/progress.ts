/**
 * Step reporting for long CLI steps: a line per finished step with its duration, and a redrawn bar
 * for counted work when stderr is a TTY (CI logs get the final line only, not hundreds of redraws).
 */
/** How a finished step went: the mark (✓ / ! / ✗, green / yellow / red on a terminal) says it before the words do. */
export type StepOutcome = 'ok' | 'partial' | 'failed';

export interface Progress {
  /** `judge` decides the step's mark from its result (default: ok); a partial or failed step never shows a ✓. */
  step<T>(label: string, work: () => Promise<T> | T, describe?: (result: T) => string, judge?: (result: T) => StepOutcome): Promise<T>;
  /** A line on its own (a heartbeat while waiting), cleared properly past a bar on a terminal. */
  note(line: string): void;
  bar(label: string, total: number): { tick(n?: number): void; done(): void };
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  quiet?: boolean;
  now?: () => number;
  /** Colour the marks (default: when the stream is a TTY; NO_COLOR turns it off in run.ts). */
  color?: boolean;
}

const MARKS: Record<StepOutcome, { mark: string; ansi: string }> = {
  ok: { mark: '✓', ansi: '\x1b[32m' },
  partial: { mark: '!', ansi: '\x1b[33m' },
  failed: { mark: '✗', ansi: '\x1b[31m' },
};

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const write = (s: string) => {
    if (!options.quiet) stream.write(s);
  };
  const tty = Boolean(stream.isTTY) && !options.quiet;
  const color = options.color ?? tty;
  return {
    async step(label, work, describe, judge) {
      if (tty) write(`  … ${label}`);
      const started = now();
      const result = await work();
      const ms = Math.round(now() - started);
      const detail = describe ? ` — ${describe(result)}` : '';
      const { mark, ansi } = MARKS[judge?.(result) ?? 'ok'];
      if (tty) write('\r\x1b[2K');
      write(`  ${color ? `${ansi}${mark}\x1b[0m` : mark} ${label}${detail} (${ms} ms)\n`);
      return result;
    },
    note(line) {
      if (tty) write('\r\x1b[2K');
      write(`  ${line}\n`);
    },
    bar(label, total) {
      let count = 0;
      let lastDraw = 0;
      const width = 24;
      const draw = () => {
        const filled = total === 0 ? width : Math.round((count / total) * width);
        write(`\r\x1b[2K  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`);
      };
      return {
        tick(n = 1) {
          count += n;
          const t = now();
          if (tty && (t - lastDraw > 80 || count >= total)) {
            lastDraw = t;
            draw();
          }
        },
        done() {
          if (tty) write('\r\x1b[2K');
        },
      };
    },
  };
}
