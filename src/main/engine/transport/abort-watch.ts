/**
 * One `abort` listener per signal, however many requests share it.
 *
 * A push of 1,000 files sends 3,000 requests under one signal (the copy's). Handing
 * that signal to undici adds and removes an event listener per request, and undici
 * builds an error for each listener it fires; with many requests in flight the signal
 * also collects enough listeners to trip Node's leak warning. Here each signal gets
 * one listener, added the first time a request watches it; requests join and leave a
 * plain Set. The listener fires once and is gone (`once`), so an aborted signal keeps
 * nothing; a signal that is never aborted keeps its one listener until it is
 * collected with its transfer.
 */

type OnAbort = () => void;

const watchers = new WeakMap<AbortSignal, Set<OnAbort>>();

/**
 * watchAbort calls `onAbort` when `signal` aborts, until the returned function is
 * called. The signal must not be aborted yet (check `signal.aborted` first). Each call
 * needs its own `onAbort` function: the same one twice is watched once.
 */
export function watchAbort(signal: AbortSignal, onAbort: OnAbort): () => void {
  let callbacks = watchers.get(signal);
  if (callbacks === undefined) {
    const set = new Set<OnAbort>();
    callbacks = set;
    watchers.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const callback of [...set]) callback();
        set.clear();
      },
      { once: true },
    );
  }
  callbacks.add(onAbort);
  const set = callbacks;
  return () => {
    set.delete(onAbort);
  };
}

/** watchedRequests tells how many requests watch `signal` now (for tests). */
export function watchedRequests(signal: AbortSignal): number {
  return watchers.get(signal)?.size ?? 0;
}
