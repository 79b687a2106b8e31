import type { Readable } from 'node:stream';
import type { Descriptor } from '../descriptor';

/**
 * The storage interfaces, after oras-go's content package: tiny, composed. Anything
 * that holds content (a registry repository, an OCI layout, a folder of files, memory)
 * implements them, and the verbs (copy, push, pull) work over any two of them.
 */

/** Options every I/O call accepts. */
export interface IoOptions {
  signal?: AbortSignal;
}

/**
 * FetchOptions: `checkedDownstream` says the content goes where its digest is checked
 * anyway (a registry closing an upload with `?digest=` refuses other bytes). A local
 * source (a file) may then skip hashing it a second time and mark the stream as
 * verifying; content from a registry is always hashed as it is read.
 */
export interface FetchOptions extends IoOptions {
  checkedDownstream?: boolean;
}

/** Fetcher reads content by descriptor. The stream is verified against size and digest. */
export interface Fetcher {
  fetch(desc: Descriptor, options?: FetchOptions): Promise<Readable>;
}

/**
 * PushOptions: `reopen` gives the same content again from its first byte (a file opened
 * anew, a blob fetched anew), so a pusher that sends over a network can resume a
 * dropped upload from what the other side holds without keeping bytes in memory.
 */
export interface PushOptions extends IoOptions {
  reopen?: () => Promise<Readable>;
}

/** Pusher stores content; it verifies what it is given against `desc` before keeping it. */
export interface Pusher {
  push(desc: Descriptor, content: Readable, options?: PushOptions): Promise<void>;
}

/** Existence tells whether content is already there (so copies can skip it). */
export interface Existence {
  exists(desc: Descriptor, options?: IoOptions): Promise<boolean>;
}

/** ReadOnlyStorage is content that can be read and checked for: a copy's source. */
export type ReadOnlyStorage = Fetcher & Existence;
/** Storage is content that can also be pushed: a copy's destination, a push's source. */
export type Storage = ReadOnlyStorage & Pusher;

/** Resolver turns a tag or digest reference into a descriptor of the manifest. */
export interface Resolver {
  resolve(reference: string, options?: IoOptions): Promise<Descriptor>;
}

/** Tagger points a tag at a descriptor. */
export interface Tagger {
  tag(desc: Descriptor, reference: string, options?: IoOptions): Promise<void>;
}

/** ReadOnlyTarget is a source that also resolves tags: what pull and copy read from. */
export type ReadOnlyTarget = ReadOnlyStorage & Resolver;
/** Target is where artifacts go and come from: a repository, an OCI layout. */
export type Target = Storage & Resolver & Tagger;

/** TagLister lists a target's tags. */
export interface TagLister {
  tags(options?: IoOptions & { last?: string; pageSize?: number }): AsyncIterable<string>;
}

/** Deleter removes content by descriptor. */
export interface Deleter {
  delete(desc: Descriptor, options?: IoOptions): Promise<void>;
}

/** PredecessorFinder lists the manifests whose `subject` is `desc` (referrers). */
export interface PredecessorFinder {
  predecessors(desc: Descriptor, options?: IoOptions & { artifactType?: string }): Promise<Descriptor[]>;
}

/** Mounter can take a blob from another repository of the same registry without upload. */
export interface Mounter {
  mount(desc: Descriptor, fromRepository: string, getContent: () => Promise<Readable>, options?: IoOptions): Promise<void>;
}

/**
 * HeldCheckingPusher pushes a blob with one request fewer: the request that opens the
 * upload also answers whether the destination holds the blob already (a registry's
 * mount from the repository itself: 201 held, else 202 and an upload session), so
 * no HEAD goes first. For small blobs: a destination that cannot tell sends the blob
 * again, which must cost little.
 */
export interface HeldCheckingPusher {
  /** pushUnlessHeld is true when the destination held the blob already (`getContent` then is not called). */
  pushUnlessHeld(desc: Descriptor, getContent: () => Promise<Readable>, options?: IoOptions): Promise<boolean>;
}

export function isHeldCheckingPusher(value: object): value is HeldCheckingPusher {
  return typeof (value as Partial<HeldCheckingPusher>).pushUnlessHeld === 'function';
}

/**
 * DigestCheckingPusher is a pusher that checks every blob's digest itself before
 * keeping it (a registry repository: the upload's closing PUT names the digest).
 */
export interface DigestCheckingPusher extends Pusher {
  readonly checksDigests: true;
}

export function checksDigests(value: object): value is DigestCheckingPusher {
  return (value as Partial<DigestCheckingPusher>).checksDigests === true;
}

/**
 * StreamPusher stores a blob whose digest is not known yet, hashing it as it is sent,
 * and answers the digest and size it stored (a repository: upload in chunks, closed
 * with the digest). UNSUPPORTED when it cannot (a registry without chunked uploads).
 */
export interface StreamPusher {
  /** `size` is the expected length (a file's), which lets `reopen` resume a drop. */
  pushStream(content: Readable, options?: PushOptions & { size?: number }): Promise<{ digest: string; size: number }>;
}

export function isStreamPusher(value: object): value is StreamPusher {
  return typeof (value as Partial<StreamPusher>).pushStream === 'function';
}

/** BlobStater describes a blob from its digest alone (media type application/octet-stream). */
export interface BlobStater {
  statBlob(digest: string, options?: IoOptions): Promise<Descriptor>;
}

export function isBlobStater(value: object): value is BlobStater {
  return typeof (value as Partial<BlobStater>).statBlob === 'function';
}

export function isTagLister(value: object): value is TagLister {
  return typeof (value as Partial<TagLister>).tags === 'function';
}

export function isDeleter(value: object): value is Deleter {
  return typeof (value as Partial<Deleter>).delete === 'function';
}

export function isPredecessorFinder(value: object): value is PredecessorFinder {
  return typeof (value as Partial<PredecessorFinder>).predecessors === 'function';
}

export function isMounter(value: object): value is Mounter {
  return typeof (value as Partial<Mounter>).mount === 'function';
}

export function isTagger(value: object): value is Tagger {
  return typeof (value as Partial<Tagger>).tag === 'function';
}

/** Progress reports bytes moved for one descriptor. */
export interface ProgressEvent {
  descriptor: Descriptor;
  /** bytes done so far for this descriptor */
  bytes: number;
  /** 'skipped' when the destination had it already */
  state: 'started' | 'progress' | 'done' | 'skipped';
}

/** ProgressListener is told of each ProgressEvent (`onProgress` in the verbs' options). */
export type ProgressListener = (event: ProgressEvent) => void;
