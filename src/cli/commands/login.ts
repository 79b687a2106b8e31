import type { Command } from 'commander';
import { absentKeychainReason, LoginService, type SaveTarget, type SavedLogin } from '../../main/credentials';
import { parseRegistryHost } from '../../main/engine/registry-host';
import { checkCredentialFlags, loginCredential, noteWriter, warnPasswordFlag } from '../credentials';
import { deadlineOption } from '../deadline';
import { asUsage } from '../errors';
import type { CliIo } from '../io';
import { addCommonOptions, addConnectionOptions, addCredentialOptions, type CommonFlags, type RemoteFlags } from '../options';
import { checkConnectionFlags, connectionOptions } from '../remote';
import { tt } from '../terminal-text';

/**
 * parseRegistryArg reads the operand of login/logout: a registry `host[:port]`, also
 * accepted with a scheme or Docker's `/v1/` path (`https://index.docker.io/v1/`), by
 * the engine's one registry host parser; a bad one is a usage error.
 */
export function parseRegistryArg(input: string): string {
  return asUsage(() => parseRegistryHost(input));
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
        'Logins are saved in the OS keychain; with -c FILE, in that Docker-style file instead. On a machine',
        'with no keychain at all (a CI runner: no D-Bus or Secret Service), in Docker\'s config.json as',
        '`docker login` does: its credential helper if one is set, else unencrypted (mode 0600), with a',
        'warning. A keychain that is there but locked is an error. Commands then find logins in this order: -u/-p and the other',
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
    const deadline = deadlineOption(io.env);
    const service = LoginService.fromEnv({ env: io.env, cwd: io.cwd, onNote: noteWriter(io, flags.debug) });
    const target: SaveTarget = flags.registryConfig ? { kind: 'file', path: flags.registryConfig } : { kind: 'keychain' };
    // The registry checks the password first, then it is saved: a wrong password says
    // so even where the keychain could not have saved it.
    warnPasswordFlag(io, flags);
    const credential = await loginCredential(io, flags);
    const saved = await service.login(registryName, credential, { ...connectionOptions(flags), ...deadline, target, signal: io.signal, dockerConfigWithoutKeychain: true });
    if (saved.withoutKeychain) {
      const { problem, reason, unencrypted } = saved.withoutKeychain;
      const why = absentKeychainReason(problem);
      if (unencrypted) {
        io.stderr.write(tt`Warning: the login is stored unencrypted in ${saved.detail ?? "Docker's config.json"} (readable by you only), as docker login does where there is no OS keychain: ${why}. Configure a credential helper (credsStore) to store it encrypted.\n`);
      } else {
        io.stderr.write(tt`Note: the login is stored by Docker's credential helper docker-credential-${saved.detail ?? ''}, as docker login does where there is no OS keychain: ${why}.\n`);
      }
      if (flags.debug) io.stderr.write(tt`Debug: the keychain: ${reason}\n`);
    }
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
