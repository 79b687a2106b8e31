import { sentence } from './error-text';
import { addRegistrySchema, type AddRegistryRequest, type RegistryEntry } from '../../shared/contract';

/** RegistryForm is what the Add / Edit registry dialog holds while the user types. */
export interface RegistryForm {
  registry: string;
  username: string;
  secret: string;
  plainHttp: boolean;
  insecure: boolean;
  caFile: string;
}

export type FormField = 'registry' | 'username' | 'secret' | 'caFile';
export type FieldErrors = Partial<Record<FormField, string>>;

export const emptyForm = (): RegistryForm => ({
  registry: '',
  username: '',
  secret: '',
  plainHttp: false,
  insecure: false,
  caFile: '',
});

/** formFor fills the form from a saved registry (never with a secret: main keeps those). */
export function formFor(entry: RegistryEntry): RegistryForm {
  return {
    ...emptyForm(),
    registry: entry.id,
    username: entry.username ?? '',
    plainHttp: entry.options.plainHttp === true,
    insecure: entry.options.insecure === true,
    caFile: entry.options.caFile ?? '',
  };
}

/** requestOf turns the form into the contract's request; unset options are left out. */
export function requestOf(form: RegistryForm): AddRegistryRequest {
  const username = form.username.trim();
  const caFile = form.caFile.trim();
  return {
    registry: form.registry.trim(),
    ...(username ? { username } : {}),
    ...(form.secret ? { secret: form.secret } : {}),
    options: {
      ...(form.plainHttp ? { plainHttp: true } : {}),
      ...(form.insecure ? { insecure: true } : {}),
      ...(caFile ? { caFile } : {}),
    },
  };
}

const FIELDS: readonly FormField[] = ['registry', 'username', 'secret', 'caFile'];

/**
 * keepsSavedLogin: editing a registry whose user name is unchanged and whose password
 * is left empty keeps (and re-tests) the saved login; main never sends it back.
 */
export function keepsSavedLogin(form: RegistryForm, saved?: RegistryEntry): boolean {
  return saved?.username !== undefined && form.username.trim() === saved.username && form.secret === '';
}

/**
 * validateForm checks the form with the contract's own schema (main checks it again)
 * plus what only a form knows: a new user name needs its password. `saved` is the
 * registry being edited. Returns one message per field, in the form's order; empty
 * when the request can be sent.
 */
export function validateForm(form: RegistryForm, saved?: RegistryEntry): FieldErrors {
  const errors: FieldErrors = {};
  const parsed = addRegistrySchema.safeParse(requestOf(form));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first] = issue.path;
      const field: FormField =
        first === 'options' ? 'caFile' : FIELDS.includes(first as FormField) ? (first as FormField) : 'registry';
      errors[field] ??= sentence(issue.message);
    }
  }
  if (form.username.trim() && !form.secret && !errors.secret && !keepsSavedLogin(form, saved)) {
    errors.secret = 'Enter the password or token for this user.';
  }
  if (!form.registry.trim()) errors.registry = 'Enter the registry’s host, such as registry.example.com or localhost:5000.';
  return Object.fromEntries(FIELDS.filter((f) => errors[f]).map((f) => [f, errors[f]])) as FieldErrors;
}
