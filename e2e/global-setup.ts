import { ensureBuilt } from './support/build';

/** Vitest global setup of the e2e project: build the app once, before any spec. */
export default function setup(): void {
  ensureBuilt();
}
