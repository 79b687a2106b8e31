import { UsageError } from './errors';
import type { CliIo } from './io';
import { canPrompt, promptLine } from './prompt';

/**
 * confirm asks a yes/no question on a terminal (default no). Without a terminal the
 * command cannot ask, so it must be told with --force.
 */
/** assertCanConfirm fails early (before any network) when confirming will be impossible. */
export function assertCanConfirm(io: CliIo, force: boolean | undefined, what: string): void {
  if (!force && !canPrompt(io)) throw new UsageError(`${what} needs confirmation and there is no terminal to ask on; add --force to do it without asking`);
}

export async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!canPrompt(io)) throw new UsageError(`${question.replace(/\?$/, '')}: no terminal to confirm on; add --force to do it without asking`);
  const answer = (await promptLine(io, `${question} [y/N] `)).trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}
