import type { Descriptor } from '../main/engine/descriptor';
import type { ProgressEvent } from '../main/engine/content/storage';
import { displayName, humanBytes, shortDigest } from './format';
import type { OutStream } from './io';
import { tt } from './terminal-text';

/** The words a transfer prints: `Uploading`, `Uploaded`, `Exists`. */
export interface TransferWords {
  active: string;
  done: string;
  skipped: string;
}

export const UPLOAD: TransferWords = { active: 'Uploading', done: 'Uploaded ', skipped: 'Exists   ' };
export const DOWNLOAD: TransferWords = { active: 'Downloading', done: 'Downloaded ', skipped: 'Skipped    ' };
export const COPY: TransferWords = { active: 'Copying', done: 'Copied ', skipped: 'Exists ' };

/**
 * ProgressMode: 'bars' redraws a live area on a terminal (stderr); 'lines' prints one
 * line when a transfer starts and one when it ends (stdout, for logs and pipes);
 * 'quiet' prints nothing (`--format json`).
 */
export type ProgressMode = 'bars' | 'lines' | 'quiet';

export interface ProgressReporter {
  onProgress(event: ProgressEvent): void;
  /** finish stops redrawing and clears the live area; call it once, success or not. */
  finish(): void;
}

/** REDRAW_MS: a terminal is redrawn at most this often. */
const REDRAW_MS = 100;
const MAX_LIVE_LINES = 8;

/**
 * createProgress makes the reporter for `mode`. `lines` and `bars` print to the stream
 * given; only a terminal should get 'bars'.
 */
export function createProgress(mode: ProgressMode, out: OutStream, words: TransferWords): ProgressReporter {
  if (mode === 'quiet') return { onProgress: () => {}, finish: () => {} };
  if (mode === 'lines') return new LineProgress(out, words);
  return new BarProgress(out, words);
}

/** label names a transfer: short digest and title (or media type), both escaped: a registry chose them. */
function label(desc: Descriptor): string {
  return tt`${shortDigest(desc.digest)} ${displayName(desc)}`;
}

/**
 * LineProgress prints `Uploading 44136fa355b3 rocket.txt` and `Uploaded  44136fa355b3
 * rocket.txt`. Lines are gathered and written at most every 100 ms (and at the end):
 * stdout to a file or pipe is written synchronously, and a thousand small files made
 * two thousand system calls of one line each.
 */
class LineProgress implements ProgressReporter {
  private readonly started = new Set<string>();
  private gathered = '';
  private flushing: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: OutStream,
    private readonly words: TransferWords,
  ) {}

  onProgress(event: ProgressEvent): void {
    const { descriptor: desc, state } = event;
    if (state === 'started' && !this.started.has(desc.digest)) {
      this.started.add(desc.digest);
      this.print(tt`${this.words.active} ${label(desc)}\n`);
    } else if (state === 'done') {
      this.print(tt`${this.words.done} ${label(desc)}\n`);
    } else if (state === 'skipped') {
      this.print(tt`${this.words.skipped} ${label(desc)}\n`);
    }
  }

  finish(): void {
    this.flush();
  }

  private print(line: string): void {
    this.gathered += line;
    if (this.flushing) return;
    this.flushing = setTimeout(() => this.flush(), REDRAW_MS);
    this.flushing.unref?.();
  }

  private flush(): void {
    if (this.flushing) clearTimeout(this.flushing);
    this.flushing = undefined;
    if (this.gathered === '') return;
    const text = this.gathered;
    this.gathered = '';
    this.out.write(text);
  }
}

interface Live {
  desc: Descriptor;
  bytes: number;
}

/**
 * BarProgress keeps finished transfers as lines and redraws the running ones below
 * them, each with a bar, at most every 100 ms.
 */
class BarProgress implements ProgressReporter {
  private readonly live = new Map<string, Live>();
  private pending: string[] = [];
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    private readonly out: OutStream,
    private readonly words: TransferWords,
  ) {}

  onProgress(event: ProgressEvent): void {
    if (this.finished) return;
    const { descriptor: desc, state, bytes } = event;
    if (state === 'started' || state === 'progress') {
      this.live.set(desc.digest, { desc, bytes });
      this.schedule();
      return;
    }
    this.live.delete(desc.digest);
    const word = state === 'done' ? this.words.done : this.words.skipped;
    this.pending.push(`✓ ${word} ${label(desc)} ${humanBytes(desc.size)}`);
    this.draw();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.live.clear();
    this.draw();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, REDRAW_MS);
    this.timer.unref?.();
  }

  /**
   * draw writes our own cursor codes around lines made of escaped labels (see label)
   * and numbers, so it is one of the few writes not through `tt` (terminal-output.test.ts).
   */
  private draw(): void {
    const width = Math.max(40, (this.out.columns || 80) - 1);
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[0J` : '';
    for (const line of this.pending) text += `${truncate(line, width)}\n`;
    this.pending = [];
    const lines = [...this.live.values()].slice(0, MAX_LIVE_LINES).map((item) => this.bar(item, width));
    if (this.live.size > MAX_LIVE_LINES) lines.push(`  … and ${this.live.size - MAX_LIVE_LINES} more`);
    for (const line of lines) text += `${line}\n`;
    this.drawn = lines.length;
    if (text !== '') this.out.write(text);
  }

  private bar({ desc, bytes }: Live, width: number): string {
    const fraction = desc.size > 0 ? Math.min(1, bytes / desc.size) : 0;
    const cells = 20;
    const full = Math.round(fraction * cells);
    const bar = `[${'='.repeat(full)}${' '.repeat(cells - full)}]`;
    const numbers = `${humanBytes(bytes)}/${humanBytes(desc.size)} ${(fraction * 100).toFixed(0).padStart(3)}%`;
    // A narrow terminal gets the numbers without the bar.
    const tail = width >= 80 ? ` ${bar} ${numbers}` : ` ${numbers}`;
    const head = `  ${this.words.active} ${label(desc)}`;
    return truncate(head, width - tail.length) + tail;
  }
}

function truncate(text: string, width: number): string {
  if (width <= 1) return '';
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** progressMode picks the mode for a command's flags and streams. */
export function progressMode(options: { format: string; tty?: boolean; stderr: OutStream; env: NodeJS.ProcessEnv }): ProgressMode {
  if (options.format !== 'text') return 'quiet';
  if (options.tty !== false && options.stderr.isTTY === true && options.env.TERM !== 'dumb') return 'bars';
  return 'lines';
}
