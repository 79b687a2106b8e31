import type { Command } from 'commander';
import { validateRegistry, normalizeRegistry } from '../../main/engine/reference';
import { OrasError, isOrasError } from '../../main/engine/errors';
import { loginCredential, warnPasswordFlag } from '../credentials';
import { removeCredential, storeCredential } from '../docker-config';
import { UsageError, asUsage } from '../errors';
import type { CliIo } from '../io';
import { addCommonOptions, addConnectionOptions, addCredentialOptions, type CommonFlags, type RemoteFlags } from '../options';
import { RemoteSession } from '../remote';

const NO_KEYCHAIN =
  'saving logins to the OS keychain is not available in the CLI yet: name a credentials file with -c <file> (e.g. -c creds.json) and pass the same -c to later commands';

/**
 * parseRegistryArg reads the operand of login/logout: a registry `host[:port]`, also
 * accepted with a scheme or a trailing path (`https://index.docker.io/v1/`).
 */
export function parseRegistryArg(input: string): string {
  let host = input.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  const slash = host.indexOf('/');
  if (slash !== -1) {
    if (host.slice(slash).replace(/\/+$/, '') !== '' && !/^\/v[12]\/?$/.test(host.slice(slash))) {
      throw new UsageError(`${JSON.stringify(input)} is not a registry: give host[:port] only, e.g. localhost:5000`);
    }
    host = host.slice(0, slash);
  }
  asUsage(() => validateRegistry(host, input));
  return normalizeRegistry(host);
}

type LoginFlags = RemoteFlags & CommonFlags;

export function registerLogin(program: Command, io: CliIo): void {
  const login = program
    .command('login')
    .description('Log in to a registry: check the login with the registry, then save it to the -c credentials file')
    .argument('<registry>', 'registry host[:port], e.g. localhost:5000')
    .addHelpText('after', '\nExample:\n  oras login -u username -p password localhost:5000 -c rocket-creds.json\n  echo "$PASSWORD" | oras login -u username --password-stdin localhost:5000 -c creds.json');
  addCommonOptions(addConnectionOptions(addCredentialOptions(login)));
  login.action(async (registryArg: string, flags: LoginFlags) => {
    const registryName = parseRegistryArg(registryArg);
    if (!flags.registryConfig) throw new UsageError(NO_KEYCHAIN);
    warnPasswordFlag(io, flags);
    const credential = await loginCredential(io, flags);
    const session = await RemoteSession.create(io, { ...flags, password: undefined, passwordStdin: false, identityToken: undefined, username: undefined }, []);
    try {
      const registry = session.registry(registryName, credential);
      try {
        await registry.ping(io.signal);
      } catch (err) {
        if (isOrasError(err, 'UNAUTHORIZED') || isOrasError(err, 'DENIED')) {
          throw new OrasError(err.code, `login to ${registryName} failed: the registry refused the user name or password; nothing was saved`, { cause: err });
        }
        throw err;
      }
      await storeCredential(flags.registryConfig, registryName, credential);
    } finally {
      await session.close();
    }
    io.stdout.write('Login Succeeded\n');
  });
}

export function registerLogout(program: Command, io: CliIo): void {
  const logout = program
    .command('logout')
    .description('Log out of a registry: remove its login from the -c credentials file')
    .argument('<registry>', 'registry host[:port]')
    .option('-c, --registry-config <file>', 'Docker-style credentials file to remove the login from');
  addCommonOptions(logout);
  logout.action(async (registryArg: string, flags: { registryConfig?: string }) => {
    const registryName = parseRegistryArg(registryArg);
    if (!flags.registryConfig) {
      throw new UsageError('removing logins from the OS keychain is not available in the CLI yet: name the credentials file with -c <file>');
    }
    const removed = await removeCredential(flags.registryConfig, registryName);
    if (removed) io.stdout.write(`Removing login credentials for ${registryName}\n`);
    else io.stderr.write(`Not logged in to ${registryName} (no login for it in ${flags.registryConfig})\n`);
  });
}
