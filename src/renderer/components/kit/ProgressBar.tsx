/**
 * ProgressBar is a native `<progress>` with a name; without a total it is
 * indeterminate (the browser animates it and screen readers say "busy").
 */
export function ProgressBar({ value, max, label }: { value: number; max?: number; label: string }) {
  const known = max !== undefined && max > 0;
  return <progress className="progress-bar" aria-label={label} value={known ? Math.min(value, max) : undefined} max={known ? max : undefined} />;
}
