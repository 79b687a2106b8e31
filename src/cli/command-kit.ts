import type { Command } from 'commander';
import { UsageError } from './errors';
import type { CliIo } from './io';
import {
  addCommonOptions,
  addConnectionOptions,
  addCredentialOptions,
  addOciLayoutOption,
  type CommonFlags,
  type RemoteFlags,
} from './options';
import { RemoteSession } from './remote';
import { openTarget, parseTarget, registriesOf, type CliTarget, type ParseTargetOptions, type ParsedTarget } from './target';

/** TargetFlags: a command that works on one registry reference or OCI layout. */
export type TargetFlags = RemoteFlags & CommonFlags & { ociLayout?: boolean; ociLayoutPath?: string };

/** addTargetOptions adds the remote flags, `--oci-layout` and `--debug`. */
export function addTargetOptions(cmd: Command, layoutHelp?: string): Command {
  return addCommonOptions(addOciLayoutOption(addConnectionOptions(addCredentialOptions(cmd)), layoutHelp));
}

/** addRegistryOnlyOptions adds the remote flags and `--debug` (registry-only commands). */
export function addRegistryOnlyOptions(cmd: Command): Command {
  return addCommonOptions(addConnectionOptions(addCredentialOptions(cmd)));
}

/**
 * withTargets parses the operands (usage errors first, before any network or stdin),
 * opens a session for the registries they name, opens every operand, runs `body`, and
 * closes the session whatever happens.
 */
export async function withTargets<T>(
  io: CliIo,
  flags: RemoteFlags,
  operands: Array<{ input: string; options: ParseTargetOptions; create?: boolean }>,
  body: (targets: CliTarget[], session: RemoteSession, parsed: ParsedTarget[]) => Promise<T>,
): Promise<T> {
  // --oci-layout-path names the folder of a command's one operand (ORAS 1.3); cp says its own per side.
  const layoutPath = operands.length === 1 ? (flags as TargetFlags).ociLayoutPath : undefined;
  const parsed = operands.map((o) => parseTarget(o.input, layoutPath === undefined ? o.options : { ...o.options, ociLayoutPath: layoutPath }));
  // As ORAS: headers are for a registry; a layout folder has no requests to carry them.
  if (flags.header?.length && parsed.some((p) => p.kind === 'oci-layout')) throw new UsageError('-H/--header cannot be used with an OCI layout');
  const session = await RemoteSession.create(io, flags, registriesOf(parsed));
  try {
    const targets: CliTarget[] = [];
    for (const [i, p] of parsed.entries()) targets.push(await openTarget(p, session, { cwd: io.cwd, create: operands[i]!.create }));
    return await body(targets, session, parsed);
  } finally {
    await session.close();
  }
}
