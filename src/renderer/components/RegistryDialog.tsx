import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { RegistryEntry } from '../../shared/contract';
import { useAppStore } from '../store/react';
import { ErrorAlert } from './ErrorAlert';
import { EyeIcon } from './icons';
import { Modal } from './Modal';
import {
  emptyForm,
  formFor,
  isLoopbackForm,
  plainHttpShown,
  requestOf,
  validateForm,
  type FieldErrors,
  type FormField,
  type RegistryForm,
} from './registry-form';

interface RegistryDialogProps {
  /** The registry being edited; absent when adding one. */
  entry?: RegistryEntry;
}

/**
 * RegistryDialog adds a registry (or edits a saved one): host, user name, password or
 * token, and how to connect. "Test connection" checks the login without saving; "Save"
 * tests it again and saves only when the registry accepts it. Field mistakes show next
 * to their field; what main or the registry said shows in the alert above the buttons,
 * outside the scrolling body so a short window never hides it. A running test can be
 * cancelled; closing the dialog drops it too (the store ignores its late answer).
 */
export function RegistryDialog({ entry }: RegistryDialogProps) {
  const mode = entry ? 'update' : 'add';
  const id = useId();
  const ids = {
    title: `${id}-title`,
    registry: `${id}-registry`,
    username: `${id}-username`,
    secret: `${id}-secret`,
    plainHttp: `${id}-plain-http`,
    insecure: `${id}-insecure`,
    caFile: `${id}-ca-file`,
    alert: `${id}-alert`,
  };
  const [form, setForm] = useState<RegistryForm>(() => (entry ? formFor(entry) : emptyForm()));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [showSecret, setShowSecret] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const testButtonRef = useRef<HTMLButtonElement>(null);

  const busy = useAppStore((s) => s.pending.test !== undefined || s.pending[mode] !== undefined);
  const testing = useAppStore((s) => s.pending.test !== undefined);
  const saving = useAppStore((s) => s.pending[mode] !== undefined);
  const error = useAppStore((s) => s.errors[mode] ?? s.errors.test);
  const testedOk = useAppStore((s) => s.testedOk);
  const closeDialog = useAppStore((s) => s.closeDialog);
  const clearRegistryErrors = useAppStore((s) => s.clearRegistryErrors);
  const testRegistry = useAppStore((s) => s.testRegistry);
  const addRegistry = useAppStore((s) => s.addRegistry);
  const updateRegistry = useAppStore((s) => s.updateRegistry);
  const cancelRegistryCheck = useAppStore((s) => s.cancelRegistryCheck);

  /** edit changes one field and forgets what was said about the old values. */
  const edit =
    <K extends keyof RegistryForm>(key: K) =>
    (event: ChangeEvent<HTMLInputElement>) => {
      const value = (event.target.type === 'checkbox' ? event.target.checked : event.target.value) as RegistryForm[K];
      setForm((f) => ({ ...f, [key]: value }));
      if (key in fieldErrors) setFieldErrors(({ [key as FormField]: _gone, ...rest }) => rest);
      if (error || testedOk) clearRegistryErrors('test', mode);
    };

  /** checked validates the form; on a mistake it focuses the first field at fault. */
  const checked = () => {
    const errors = validateForm(form, entry);
    setFieldErrors(errors);
    const first = Object.keys(errors)[0] as FormField | undefined;
    if (first) {
      formRef.current?.querySelector<HTMLInputElement>(`#${CSS.escape(ids[first])}`)?.focus();
      return undefined;
    }
    return requestOf(form);
  };

  const onTest = async () => {
    if (busy) return;
    const request = checked();
    if (request) await testRegistry(request);
  };

  /** onCancelTest stops waiting for the test; focus goes back to the button that started it. */
  const onCancelTest = () => {
    cancelRegistryCheck();
    testButtonRef.current?.focus();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const request = checked();
    if (!request) return;
    if (entry) await updateRegistry(request);
    else await addRegistry(request);
  };

  const describedBy = (field: FormField, hint?: string) =>
    [hint, fieldErrors[field] ? `${ids[field]}-error` : undefined].filter(Boolean).join(' ') || undefined;

  const fieldError = (field: FormField) =>
    fieldErrors[field] ? (
      <p className="field-error" id={`${ids[field]}-error`}>
        {fieldErrors[field]}
      </p>
    ) : null;

  const title = entry ? `Edit ${entry.label}` : 'Add registry';
  const loopback = isLoopbackForm(form);
  return (
    <Modal labelledBy={ids.title} onClose={closeDialog} className="registry-dialog">
      <form ref={formRef} className="modal-form" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <h2 id={ids.title} className="modal-title">
          {title}
        </h2>
        <div className="modal-body">
          <div className="field">
            <label htmlFor={ids.registry}>Registry</label>
            <input
              id={ids.registry}
              name="registry"
              type="text"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="registry.example.com or localhost:5000"
              value={form.registry}
              onChange={edit('registry')}
              readOnly={entry !== undefined}
              data-autofocus={entry === undefined ? true : undefined}
              aria-invalid={fieldErrors.registry ? true : undefined}
              aria-describedby={describedBy('registry', `${ids.registry}-hint`)}
            />
            <p className="hint" id={`${ids.registry}-hint`}>
              {entry ? 'The registry of a saved login cannot change; add a new one instead.' : 'host[:port], without https://'}
            </p>
            {fieldError('registry')}
          </div>

          <div className="field-row">
            <div className="field">
              <label htmlFor={ids.username}>User name</label>
              <input
                id={ids.username}
                name="username"
                type="text"
                autoComplete="username"
                spellCheck={false}
                value={form.username}
                onChange={edit('username')}
                data-autofocus={entry !== undefined ? true : undefined}
                aria-invalid={fieldErrors.username ? true : undefined}
                aria-describedby={describedBy('username', `${ids.username}-hint`)}
              />
              <p className="hint" id={`${ids.username}-hint`}>
                Empty for anonymous access.
              </p>
              {fieldError('username')}
            </div>

            <div className="field">
              <label htmlFor={ids.secret}>Password or token</label>
              <div className="input-with-button">
                <input
                  id={ids.secret}
                  name="secret"
                  type={showSecret ? 'text' : 'password'}
                  autoComplete="current-password"
                  spellCheck={false}
                  value={form.secret}
                  onChange={edit('secret')}
                  aria-invalid={fieldErrors.secret ? true : undefined}
                  aria-describedby={describedBy('secret', entry?.username ? `${ids.secret}-hint` : undefined)}
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label="Show password"
                  aria-pressed={showSecret}
                  aria-controls={ids.secret}
                  title={showSecret ? 'Hide password' : 'Show password'}
                  onClick={() => setShowSecret((v) => !v)}
                >
                  <EyeIcon off={showSecret} />
                </button>
              </div>
              {entry?.username && (
                <p className="hint" id={`${ids.secret}-hint`}>
                  Empty keeps the saved one for {entry.username}.
                </p>
              )}
              {fieldError('secret')}
            </div>
          </div>

          <fieldset className="field-group">
            <legend>Connection</legend>
            <div className="check">
              <input id={ids.plainHttp} type="checkbox" checked={plainHttpShown(form)} onChange={edit('plainHttp')} aria-describedby={`${ids.plainHttp}-hint`} />
              <label htmlFor={ids.plainHttp}>Plain HTTP</label>
              <p className="hint" id={`${ids.plainHttp}-hint`}>
                {loopback
                  ? 'No TLS: the default for this computer. Untick it if this registry speaks HTTPS.'
                  : 'No TLS. Loopback hosts (localhost, 127.0.0.1) use it by default.'}
              </p>
            </div>
            <div className="check">
              <input id={ids.insecure} type="checkbox" checked={form.insecure} onChange={edit('insecure')} aria-describedby={`${ids.insecure}-hint`} />
              <label htmlFor={ids.insecure}>Insecure: skip TLS certificate checks</label>
              <p className="hint" id={`${ids.insecure}-hint`}>
                Accepts any certificate, so someone in between could read the password. Prefer a CA file.
              </p>
            </div>
            <div className="field">
              <label htmlFor={ids.caFile}>CA certificate file</label>
              <input
                id={ids.caFile}
                name="caFile"
                type="text"
                autoComplete="off"
                spellCheck={false}
                placeholder="/etc/ssl/private-ca.pem"
                value={form.caFile}
                onChange={edit('caFile')}
                aria-invalid={fieldErrors.caFile ? true : undefined}
                aria-describedby={describedBy('caFile', `${ids.caFile}-hint`)}
              />
              <p className="hint" id={`${ids.caFile}-hint`}>
                A PEM file on the computer running ORAS Desktop.
              </p>
              {fieldError('caFile')}
            </div>
          </fieldset>
        </div>

        <div className="modal-feedback">
          <ErrorAlert id={ids.alert} error={error} />
          <div className="status-line">
            <p role="status" className={`status ${testedOk && !error ? 'status-ok' : ''}`.trim()}>
              {testing ? 'Testing the connection…' : saving ? 'Checking the login and saving…' : testedOk && !error ? `Connected: ${testedOk} accepted the login.` : ''}
            </p>
            {testing && (
              <button type="button" className="button button-small" onClick={onCancelTest}>
                Cancel test
              </button>
            )}
          </div>
        </div>

        <div className="modal-actions">
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <span className="spacer" />
          <button ref={testButtonRef} type="button" className="button" onClick={onTest} aria-disabled={busy}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
