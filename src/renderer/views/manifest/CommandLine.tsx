import { CopyButton } from '../../components/kit';

/** CommandLine shows an `oras` command that gives the same result as the view, with a copy button. */
export function CommandLine({ label, command }: { label: string; command: string }) {
  return (
    <div className="command-line">
      <span className="command-label">{label}</span>
      <code className="command-text">{command}</code>
      <CopyButton text={command} label={`Copy command: ${label}`} />
    </div>
  );
}
