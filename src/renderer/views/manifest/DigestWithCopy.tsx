import { CopyButton } from '../../components/kit';

/** DigestWithCopy shows a whole digest and a button copying it. */
export function DigestWithCopy({ digest, label = 'Copy digest' }: { digest: string; label?: string }) {
  return (
    <span className="digest-copy">
      <code>{digest}</code>
      <CopyButton text={digest} label={label} />
    </span>
  );
}
