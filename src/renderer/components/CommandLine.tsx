import { CopyButton } from './kit';

/**
 * CommandLine shows the `oras …` line that gives what the view shows, with a copy
 * button, so a person can repeat it in a terminal.
 */
export function CommandLine({ command, label = 'Same with the CLI' }: { command: string | undefined; label?: string }) {
  if (!command) return null;
  return (
    <div className="command-line">
      <span className="command-line-label">{label}</span>
      <code className="command-line-text">{command}</code>
      <CopyButton text={command} label="Copy command" />
    </div>
  );
}
