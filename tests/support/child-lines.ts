/**
 * The lines a child process writes to stdout, as it writes them, so a test can act the moment
 * the child reports a state ("ready", "signed …") instead of guessing how long it takes.
 */
import type { ChildProcess } from 'node:child_process';

export interface ChildLines {
  /** Every complete line so far (and, once the child has exited, a last one without a newline). */
  lines: string[];
  /**
   * Resolves with the first line (already written or still to come) that `wanted` accepts;
   * rejects if the child exits without writing one.
   */
  next: (wanted: (line: string) => boolean, what: string) => Promise<string>;
  /** Resolves as `work` does, or rejects if the child exits first: a wait on something else that the child's death would leave hanging. */
  whileRunning: <T>(work: Promise<T>, what: string) => Promise<T>;
  /** Resolves with the exit code (null when killed by a signal), once its output is all read. */
  exited: Promise<number | null>;
}

export function childLines(child: ChildProcess): ChildLines {
  if (!child.stdout) throw new Error('the child was started without a stdout pipe');
  const lines: string[] = [];
  const listeners: (() => void)[] = [];
  let ended = false;
  const heard = (): void => {
    for (const listener of listeners.splice(0)) listener();
  };
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    lines.push(...complete);
    heard();
  });
  const exited = new Promise<number | null>((done) =>
    child.on('close', (code) => {
      if (buffered) lines.push(buffered);
      ended = true;
      heard();
      done(code);
    }),
  );
  const said = (): string => `; it wrote:\n${lines.join('\n')}`;
  return {
    lines,
    exited,
    async next(wanted, what) {
      for (let from = 0; ; ) {
        const found = lines.slice(from).find(wanted);
        if (found !== undefined) return found;
        from = lines.length;
        if (ended) throw new Error(`the child exited without reporting ${what}${said()}`);
        await new Promise<void>((wake) => listeners.push(wake));
      }
    },
    whileRunning(work, what) {
      const died = exited.then((code) => {
        throw new Error(`the child exited (${code}) before ${what}${said()}`);
      });
      died.catch(() => undefined); // only the race below reports it
      return Promise.race([work, died]);
    },
  };
}
