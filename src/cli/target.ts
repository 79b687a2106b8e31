import path from 'node:path';
import type { Deleter, PredecessorFinder, TagLister, Target } from '../main/engine/content/storage';
import { cut, quoted } from '../main/engine/echo';
import { referenceOf, validateTag, type Reference } from '../main/engine/reference';
import type { Repository } from '../main/engine/registry/repository';
import { UsageError, asUsage } from './errors';
import { openLayout } from './layout';
import { parseLayoutReference, parseRemoteReference, splitTags, type LayoutReference } from './reference-args';
import { isValidDigest } from '../main/engine/digest';
import type { RemoteSession } from './remote';

/**
 * A command's operand, parsed before anything is opened: a registry reference, or an
 * OCI image layout `<folder>[:tag|@digest]` with `--oci-layout`.
 */
export type ParsedTarget =
  | { kind: 'registry'; input: string; ref: Reference; extraTags: string[] }
  | { kind: 'oci-layout'; input: string; ref: LayoutReference; extraTags: string[] };

export type Needs = 'none' | 'reference' | 'digest';

export interface ParseTargetOptions {
  ociLayout?: boolean;
  /** `--oci-layout-path <folder>`: the operand is then only the tag or digest (ORAS 1.3). */
  ociLayoutPath?: string;
  /** whether a tag or digest must be given */
  needs?: Needs;
  /** accept `name:tag1,tag2` (push, cp, manifest push destinations) */
  multipleTags?: boolean;
}

/** parseTarget checks an operand; any mistake is a usage error. */
export function parseTarget(input: string, options: ParseTargetOptions = {}): ParsedTarget {
  const needs = options.needs ?? 'none';
  if (options.ociLayoutPath !== undefined) return parseLayoutPathOperand(input, options.ociLayoutPath, options);
  const { reference, extraTags } = options.multipleTags ? splitTags(input) : { reference: input, extraTags: [] };
  if (options.ociLayout) {
    const ref = parseLayoutReference(reference);
    if (ref.path === '') throw new UsageError(`OCI layout reference ${quoted(input)} names no folder`);
    if (needs === 'reference' && ref.tag === undefined && ref.digest === undefined) {
      throw new UsageError(`OCI layout reference ${quoted(input)} names no tag or digest: add :<tag> or @<digest> to it`);
    }
    if (needs === 'digest' && ref.digest === undefined) throw new UsageError(`OCI layout reference ${quoted(input)} names no digest: write ${cut(ref.path, 40)}@sha256:<digest>`);
    return { kind: 'oci-layout', input, ref, extraTags };
  }
  return { kind: 'registry', input, ref: parseRemoteReference(reference, needs), extraTags };
}

/**
 * parseLayoutPathOperand reads an operand under `--oci-layout-path <folder>`: the
 * folder comes from the flag and the operand is the tag (`v1`, `v1,latest` where tags
 * may be several) or digest (`sha256:…`, with or without a leading `@`).
 */
function parseLayoutPathOperand(input: string, folder: string, options: ParseTargetOptions): ParsedTarget {
  if (options.ociLayout) throw new UsageError('--oci-layout and --oci-layout-path cannot be used together');
  if (folder === '') throw new UsageError('--oci-layout-path names no folder');
  const reference = input.startsWith('@') ? input.slice(1) : input;
  const { reference: first, extraTags } = options.multipleTags && !isValidDigest(reference) ? splitTags(`x:${reference}`) : { reference: `x:${reference}`, extraTags: [] };
  const given = first.slice(2);
  const ref: LayoutReference = { path: folder };
  if (isValidDigest(given)) ref.digest = given;
  else if (given !== '') {
    asUsage(() => validateTag(given, input));
    ref.tag = given;
  }
  const needs = options.needs ?? 'none';
  if (needs === 'reference' && given === '') throw new UsageError(`with --oci-layout-path, give the tag or digest: <tag> or <digest>`);
  if (needs === 'digest' && ref.digest === undefined) throw new UsageError(`with --oci-layout-path, give the digest: sha256:<digest>`);
  return { kind: 'oci-layout', input, ref, extraTags };
}

/** registriesOf lists the registries operands name: the flag credential is for them only. */
export function registriesOf(targets: readonly ParsedTarget[]): string[] {
  return targets.flatMap((t) => (t.kind === 'registry' ? [t.ref.registry] : []));
}

/** AnyTarget is a Target with the optional powers a registry repository or a layout may have. */
export type AnyTarget = Target & Partial<TagLister & Deleter & PredecessorFinder>;

/** CliTarget is an opened operand. */
export interface CliTarget {
  kind: 'registry' | 'oci-layout';
  target: AnyTarget;
  /** the tag or digest the operand named, if any */
  reference?: string;
  extraTags: string[];
  /** the repository, for a registry operand */
  repository?: Repository;
  /** display names what a reference points at as ORAS prints it: `[registry] host/repo:tag`. */
  display(reference?: string): string;
  /** name is the operand without its tag or digest: `host/repo`, or the layout folder. */
  name: string;
  /** the layout folder, absolute, for an OCI layout operand */
  layoutPath?: string;
}

export interface OpenTargetOptions {
  /** create the layout folder if missing (destinations); default false */
  create?: boolean;
  /** the working folder layout paths are relative to */
  cwd: string;
}

function joinRef(name: string, reference: string | undefined): string {
  if (reference === undefined || reference === '') return name;
  return reference.includes(':') ? `${name}@${reference}` : `${name}:${reference}`;
}

/** openTarget opens a parsed operand: a repository of a registry, or an OCI layout. */
export async function openTarget(parsed: ParsedTarget, session: RemoteSession | undefined, options: OpenTargetOptions): Promise<CliTarget> {
  if (parsed.kind === 'oci-layout') {
    const layoutPath = path.resolve(options.cwd, parsed.ref.path);
    const store = await openLayout(layoutPath, { create: options.create ?? false });
    const name = parsed.ref.path;
    return {
      kind: 'oci-layout',
      layoutPath,
      target: store,
      reference: parsed.ref.digest ?? parsed.ref.tag,
      extraTags: parsed.extraTags,
      name,
      display: (reference) => `[oci-layout] ${joinRef(name, reference)}`,
    };
  }
  if (!session) throw new Error('openTarget: a registry operand needs a RemoteSession');
  const registry = session.registry(parsed.ref.registry);
  const repository = registry.repository(parsed.ref.repository);
  const name = `${parsed.ref.registry}/${parsed.ref.repository}`;
  return {
    kind: 'registry',
    target: repository,
    repository,
    reference: referenceOf(parsed.ref),
    extraTags: parsed.extraTags,
    name,
    display: (reference) => `[registry] ${joinRef(name, reference)}`,
  };
}
