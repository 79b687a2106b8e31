import type { Command } from 'commander';
import type { Resolver, Fetcher } from '../main/engine/content/storage';
import type { Descriptor } from '../main/engine/descriptor';
import { parsePlatform, selectPlatform, type PlatformSpec } from '../main/engine/oras/platform';
import { resolve } from '../main/engine/oras/verbs';
import { asUsage } from './errors';

/** PlatformFlags: `--platform os/arch[/variant][:os_version]`, as ORAS's option.Platform. */
export interface PlatformFlags {
  platform?: string;
}

/** addPlatformOption adds `--platform` to a command that resolves one reference. */
export function addPlatformOption(cmd: Command, what = 'the manifest'): Command {
  return cmd.option('--platform <os/arch[/variant]>', `from a multi-platform index, use ${what} of this platform`);
}

/** checkPlatform parses `--platform` before anything is opened (a usage error when malformed). */
export function checkPlatform(flags: PlatformFlags): PlatformSpec | undefined {
  return flags.platform === undefined ? undefined : asUsage(() => parsePlatform(flags.platform!));
}

/**
 * resolvePlatform resolves `reference` and, with a platform, picks that platform's
 * manifest (an index's entry, or the manifest itself when its config says so):
 * NOT_FOUND lists the platforms there are. Without one it is a plain resolve.
 */
export async function resolvePlatform(target: Resolver & Fetcher, reference: string, platform: PlatformSpec | undefined, signal: AbortSignal): Promise<Descriptor> {
  const root = await resolve(target, reference, { signal });
  return platform === undefined ? root : selectPlatform(target, root, platform, { signal });
}
