import type { ActionError } from '../store/types';
import { errorText } from './error-text';

/**
 * ErrorAlert shows one action's error where the action was started. The `role=alert`
 * region is always in the page (empty when there is no error) so screen readers
 * announce an error the moment it appears.
 */
export function ErrorAlert({ error, id, className = '' }: { error?: ActionError; id?: string; className?: string }) {
  const text = error && errorText(error);
  return (
    <div role="alert" id={id} className={`alert ${text ? 'alert-error' : 'alert-empty'} ${className}`.trim()}>
      {text && (
        <>
          {/* The spaces keep the words apart for screen readers; the layout stacks the lines. */}
          <strong className="alert-title">{text.title}:</strong>{' '}
          <span className="alert-detail">{text.detail}</span>
          {text.hint && (
            <>
              {' '}
              <span className="alert-hint">{text.hint}</span>
            </>
          )}
        </>
      )}
    </div>
  );
}
