import type { Command } from 'commander';
import { LoginService, type SaveTarget, type SavedLogin } from '../../main/credentials';
import { validateRegistry, normalizeRegistry } from '../../main/engine/reference';
import { checkCredentialFlags, loginCredential, noteWriter, warnPasswordFlag } from '../credentials';
import { UsageError, asUsage } from '../errors';
import type { CliIo } from '../io';
import { addCommonOptions, addConnectionOptions, addCredentialOptions, type CommonFlags, type RemoteFlags } from '../options';
import { checkConnectionFlags, connectionOptions } from '../remote';
import { tt } from '../terminal-text';

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

/** describeLocation says, for a person, where a login lives. */
export function describeLocation(login: SavedLogin): string {
  switch (login.location) {
    case 'keychain':
      return 'the OS keychain';
    case 'docker-helper':
      return `docker-credential-${login.detail}`;
    default:
      return login.detail ?? login.location;
  }
}

export function registerLogin(program: Command, io: CliIo): void {
  const login = program
    .command('login')
    .description('Log in to a registry: check the login with the registry, then save it in the OS keychain (or the -c credentials file)')
    .argument('<registry>', 'registry host[:port], e.g. localhost:5000')
    .addHelpText(
      'after',
      [
        '',
        'Logins are saved in the OS keychain; with -c FILE, in that Docker-style file instead (the only',
        'way a secret is written to a file). Commands then find them in this order: -u/-p and the other',
        'login flags, the -c file, the OS keychain, Docker\'s config.json (credsStore and credHelpers too).',
        '',
        'Examples:',
        '  echo "$PASSWORD" | oras login -u username --password-stdin localhost:5000',
        '  oras login -u username -p password localhost:5000 -c rocket-creds.json',
      ].join('\n'),
    );
  addCommonOptions(addConnectionOptions(addCredentialOptions(login)));
  login.action(async (registryArg: string, flags: LoginFlags) => {
    const registryName = parseRegistryArg(registryArg);
    checkCredentialFlags(flags);
    checkConnectionFlags(flags);
    const service = LoginService.fromEnv({ env: io.env, cwd: io.cwd, onNote: noteWriter(io, flags.debug) });
    const target: SaveTarget = flags.registryConfig ? { kind: 'file', path: flags.registryConfig } : { kind: 'keychain' };
    // Say the keychain cannot save before asking for a password, not after.
    if (target.kind === 'keychain') await service.keychain.ensureUsable('write');
    warnPasswordFlag(io, flags);
    const credential = await loginCredential(io, flags);
    await service.login(registryName, credential, { ...connectionOptions(flags), target, signal: io.signal });
    io.stdout.write('Login Succeeded\n');
  });
}

export function registerLogout(program: Command, io: CliIo): void {
  const logout = program
    .command('logout')
    .description('Log out of a registry: remove its login from where it lives (the OS keychain, Docker\'s config and its helpers), or from the -c credentials file')
    .argument('<registry>', 'registry host[:port]')
    .option('-c, --registry-config <file>', 'Docker-style credentials file to remove the login from (and nowhere else)');
  addCommonOptions(logout);
  logout.action(async (registryArg: string, flags: { registryConfig?: string; debug?: boolean }) => {
    const registryName = parseRegistryArg(registryArg);
    const service = LoginService.fromEnv({ env: io.env, cwd: io.cwd, onNote: noteWriter(io, flags.debug) });
    const removed = await service.logout(registryName, { file: flags.registryConfig });
    for (const login of removed) io.stdout.write(tt`Removing login credentials for ${registryName} from ${describeLocation(login)}\n`);
    if (removed.length === 0) {
      const where = flags.registryConfig ? flags.registryConfig : "the OS keychain or Docker's config";
      io.stderr.write(tt`Not logged in to ${registryName} (no login for it in ${where})\n`);
    }
  });
}
