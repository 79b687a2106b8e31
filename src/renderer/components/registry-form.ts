import { sentence } from './error-text';
import { addRegistrySchema, type AddRegistryRequest, type RegistryEntry } from '../../shared/contract';
import { isLoopbackHost } from '../../shared/oras-command';

/** RegistryForm is what the Add / Edit registry dialog holds while the user types. */
export interface RegistryForm {
  registry: string;
  username: string;
  secret: string;
  /**
   * Plain HTTP as the user set it; undefined is the host's default (main's engine
   * speaks plain HTTP to loopback hosts, HTTPS to others), which `plainHttpShown` shows.
   */
  plainHttp: boolean | undefined;
  insecure: boolean;
  caFile: string;
}

export type FormField = 'registry' | 'username' | 'secret' | 'caFile';
export type FieldErrors = Partial<Record<FormField, string>>;

export const emptyForm = (): RegistryForm => ({
  registry: '',
  username: '',
  secret: '',
  plainHttp: undefined,
  insecure: false,
  caFile: '',
});

/** formFor fills the form from a saved registry (never with a secret: main keeps those). */
export function formFor(entry: RegistryEntry): RegistryForm {
  return {
    ...emptyForm(),
    registry: entry.id,
    username: entry.username ?? '',
    plainHttp: entry.options.plainHttp,
    insecure: entry.options.insecure === true,
    caFile: entry.options.caFile ?? '',
  };
}

/** isLoopbackForm says whether the host typed is this computer, where plain HTTP is the default. */
export const isLoopbackForm = (form: RegistryForm): boolean => isLoopbackHost(form.registry.trim());

/** plainHttpShown is the "Plain HTTP" box as shown: what the user set, else the host's default. */
export const plainHttpShown = (form: RegistryForm): boolean => form.plainHttp ?? isLoopbackForm(form);

/**
 * requestOf turns the form into the contract's request; unset options are left out.
 * Plain HTTP is sent only where it differs from the host's default or the user ticked
 * it: `false` for a loopback host the user unticked (HTTPS there), never for others,
 * so an untouched box saves what it saved before (nothing).
 */
export function requestOf(form: RegistryForm): AddRegistryRequest {
  const username = form.username.trim();
  const caFile = form.caFile.trim();
  const plainHttp = form.plainHttp === true ? true : form.plainHttp === false && isLoopbackForm(form) ? false : undefined;
  return {
    registry: form.registry.trim(),
    ...(username ? { username } : {}),
    ...(form.secret ? { secret: form.secret } : {}),
    options: {
      ...(plainHttp !== undefined ? { plainHttp } : {}),
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
