import type { ReactNode } from 'react';
import type { SerializedError } from '../../../shared/error-codes';
import { errorText } from '../error-text';

/**
 * ErrorBox shows why a view or a load failed, in the words error-text uses everywhere,
 * with an optional action (Retry). It is an alert: it appears when something failed.
 */
export function ErrorBox({ error, action }: { error: SerializedError; action?: ReactNode }) {
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
      {action && <div className="error-box-action">{action}</div>}
    </div>
  );
}
