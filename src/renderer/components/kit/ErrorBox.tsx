import type { ReactNode } from 'react';
import type { SerializedError } from '../../../shared/error-codes';
import { errorText } from '../error-text';

/**
 * ErrorBox shows why a view or a load failed, in the words error-text uses everywhere.
 * `onRetry` adds the one Retry button every view offers; `action` is for anything else.
 * It is an alert: it appears when something failed.
 */
export function ErrorBox({ error, onRetry, action }: { error: SerializedError; onRetry?: () => void; action?: ReactNode }) {
  const text = errorText(error);
  return (
    <div role="alert" className="alert alert-error error-box">
      <strong className="alert-title">{text.title}:</strong> <span className="alert-detail">{text.detail}</span>
      {text.hint && (
        <>
          {' '}
          <span className="alert-hint">{text.hint}</span>
        </>
      )}
      {(onRetry || action) && (
        <div className="error-box-action">
          {onRetry && (
            <button type="button" className="button button-small" onClick={onRetry}>
              Retry
            </button>
          )}
          {action}
        </div>
      )}
    </div>
  );
}
