import type { TemplateFunction } from './args';
import { BUILTINS } from './builtins';
import { CERT_FUNCTIONS } from './sprig-certs';
import { CRYPTO_FUNCTIONS } from './sprig-crypto';
import { DATE_FUNCTIONS } from './sprig-dates';
import { LIST_FUNCTIONS } from './sprig-lists';
import { MATH_FUNCTIONS } from './sprig-math';
import { MISC_FUNCTIONS } from './sprig-misc';
import { NETWORK_FUNCTIONS } from './sprig-network';
import { REGEX_FUNCTIONS } from './sprig-regex';
import { STRING_FUNCTIONS } from './sprig-strings';
import { URL_FUNCTIONS } from './sprig-url';

export type { TemplateFunction } from './args';

/**
 * FUNCTIONS: every function a `--template` may call, by name, as ORAS 1.3 has them
 * (`output/template.go`: text/template with sprig v3's FuncMap added): Go's built-ins
 * (`and`/`or` are the executor's: they stop at the deciding argument), then sprig's,
 * which win where both have a name (`slice`), as a template's own functions win in Go.
 * Go's `call` has nothing to call (a JSON model holds no functions).
 * A function's error is thrown as a plain Error; the executor adds where it was called.
 */
export const FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  ...BUILTINS,
  ...STRING_FUNCTIONS,
  ...LIST_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...MISC_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...CRYPTO_FUNCTIONS,
  ...CERT_FUNCTIONS,
  ...NETWORK_FUNCTIONS,
};
