/**
 * The ORAS verbs: free functions over the storage interfaces of `content/storage`,
 * knowing nothing of HTTP or disks (oras-go v2's `oras` package). The CLI, the IPC
 * handlers and the library all call these.
 */
export { packManifest, canonical, formatCreated, EMPTY_DESCRIPTOR, EMPTY_JSON, type ImageSpecVersion, type PackManifestOptions } from './pack';
export { parseManifest, parseIndex, parseSuccessors, isIndex, successors, type SuccessorsOptions } from './manifest-codec';
export { DEFAULT_MAX_METADATA_BYTES, fetchBytes, pushBytes, type FetchBytesOptions } from './bytes';
export { copy, copyGraph, tagRoot, DEFAULT_CONCURRENCY, type CopyOptions, type CopyGraphOptions, type FindSuccessors } from './copy';
export { resolve, tag, fetchManifest, type TagOptions, type FetchedManifest } from './verbs';
export { attach, type AttachOptions } from './attach';
export { discover, type DiscoverOptions, type ReferrerNode } from './discover';
export { push, type PushOptions } from './push';
export { pull, type PullOptions, type PullResult } from './pull';
export { parsePlatform, formatPlatform, matchPlatform, selectPlatform, type PlatformSpec } from './platform';
export { sideError, type Side } from './side';
