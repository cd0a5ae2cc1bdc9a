/**
 * Step reporting for long CLI steps: a line per finished step with its duration, and a redrawn bar
 * for counted work when stderr is a TTY (CI logs get the final line only, not hundreds of redraws).
 */
export interface Progress {
  step<T>(label: string, work: () => Promise<T> | T, describe?: (result: T) => string): Promise<T>;
  bar(label: string, total: number): { tick(n?: number): void; done(): void };
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  quiet?: boolean;
  now?: () => number;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const write = (s: string) => {
    if (!options.quiet) stream.write(s);
  };
  const tty = Boolean(stream.isTTY) && !options.quiet;
  return {
    async step(label, work, describe) {
      if (tty) write(`  … ${label}`);
      const started = now();
      const result = await work();
      const ms = Math.round(now() - started);
      const detail = describe ? ` — ${describe(result)}` : '';
      if (tty) write('\r\x1b[2K');
      write(`  ✓ ${label}${detail} (${ms} ms)\n`);
      return result;
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
