import { InvalidArgumentError, Option, type Command } from 'commander';
import { quoted } from '../../main/engine/echo';
import { OrasError, isOrasError } from '../../main/engine/errors';
import { UsageError } from '../errors';
import type { OutStream } from '../io';
import { parseConcurrency } from '../options';
import type { TransferWords } from '../progress';
import { tt } from '../terminal-text';

/*
 * What `oras backup` and `oras restore` share (ORAS 1.3, cmd/oras/root/backup.go,
 * restore.go and display/metadata/text/backup.go, restore.go): the operand, the
 * `--distribution-spec` and `--concurrency` flags, ORAS's status words, and its way of
 * writing sizes and durations.
 */

/** The status words ORAS prints per blob (display/status/utils.go). */
export const BACKUP_WORDS: TransferWords = { active: 'Pulling  ', done: 'Pulled   ', skipped: 'Exists   ' };
export const RESTORE_WORDS: TransferWords = { active: 'Pushing  ', done: 'Pushed   ', skipped: 'Exists   ' };

/**
 * checkArtifactsOperand refuses what ORAS's `parseArtifactReferences` refuses before
 * the reference grammar is applied: an empty operand, a digest, an empty tag in the
 * list. The rest (the repository, each tag) is checked by the usual operand parser.
 */
export function checkArtifactsOperand(input: string): void {
  if (input === '') throw new UsageError('artifact reference cannot be empty');
  if (input.includes('@')) throw new UsageError(`digest references are not supported: ${quoted(input)}; name tags (<registry>/<repository>:<tag>[,<tag>…]) or none for every tag`);
  // `repo:v1,v2`: with a list, the first tag follows the colon and none may be empty.
  const tail = input.slice(input.lastIndexOf('/') + 1);
  if (!tail.includes(',')) return;
  const [first = '', ...others] = tail.split(',');
  const colon = first.indexOf(':');
  if (colon === -1 || first.slice(colon + 1) === '' || others.includes('')) throw new UsageError(`empty tag in reference ${quoted(input)}`);
}

/** DISTRIBUTION_SPECS are the values ORAS's `--distribution-spec` takes. */
const DISTRIBUTION_SPECS = ['v1.1-referrers-api', 'v1.1-referrers-tag'] as const;

/**
 * addBackupRestoreOptions adds `--concurrency` with the command's own default (backup 3,
 * restore 5, as ORAS) and `--distribution-spec`, taken for scripts written for ORAS: we
 * always ask the referrers API first and fall back to the tag schema, which finds the
 * same referrers either way.
 */
export function addBackupRestoreOptions(cmd: Command, concurrency: number): Command {
  return cmd
    .addOption(new Option('--concurrency <n>', 'transfers at once').argParser(parseConcurrency).default(concurrency))
    .addOption(
      new Option('--distribution-spec <spec>', `taken as ORAS takes it (${DISTRIBUTION_SPECS.join(', ')}); referrers are found through the API, else the tag schema, either way`).argParser((value) => {
        if ((DISTRIBUTION_SPECS as readonly string[]).includes(value)) return value;
        throw new InvalidArgumentError(`use one of: ${DISTRIBUTION_SPECS.join(', ')}.`);
      }),
    );
}

/**
 * printTagsFound prints ORAS's "Found 2 tag(s) in <where>: v1, v2" (up to five tags on
 * the line, else one per line below it).
 */
export function printTagsFound(out: OutStream, tags: readonly string[], where: string): void {
  if (tags.length <= 5) {
    out.write(tt`Found ${String(tags.length)} tag(s) in ${where}: ${tags.join(', ')}\n`);
    return;
  }
  out.write(tt`Found ${String(tags.length)} tag(s) in ${where}:\n`);
  for (const tag of tags) out.write(tt`${tag}\n`);
}

/**
 * orasBytes writes a size as ORAS's humanize.ToBytes does: binary steps, units B KB MB
 * GB TB, at most four significant figures, Go's `%g %2s` (so `512  B`, `1.5 KB`).
 */
export function orasBytes(size: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  if (size < 1024) return `${size} ${units[0]!.padStart(2)}`;
  const exponent = Math.min(Math.floor(Math.log(size) / Math.log(1024)), units.length - 1);
  const value = size / 1024 ** exponent;
  const rounded = value < 10 ? Math.round(value * 100) / 100 : value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded} ${units[exponent]!.padStart(2)}`;
}

/**
 * orasDuration writes elapsed milliseconds as ORAS's humanize.FormatDuration does: over
 * a second rounded to seconds, over a millisecond to milliseconds, else to microseconds,
 * then in Go's Duration form (`1m5s`, `346ms`, `12µs`).
 */
export function orasDuration(ms: number): string {
  if (ms > 1000) {
    let seconds = Math.round(ms / 1000);
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
    if (minutes > 0) return `${minutes}m${seconds}s`;
    return `${seconds}s`;
  }
  if (ms > 1) return `${Math.round(ms)}ms`;
  const micros = Math.round(ms * 1000);
  return micros === 0 ? '0s' : `${micros}µs`;
}

/**
 * tagFailure says which tag failed where, as ORAS's `failed to back up tag "v1" from
 * … to …: <cause>`, keeping the cause's code (and so the exit status). A cancel stays
 * a plain cancel.
 */
export function tagFailure(err: unknown, prefix: string): unknown {
  if (!isOrasError(err) || err.code === 'ABORTED') return err;
  return new OrasError(err.code, `${prefix}: ${err.message}`, { cause: err, response: err.response, side: err.side });
}
