import type { EventName, Events } from '../../shared/contract';

/** EventListener hears every event main sends to pages, with its name. */
export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/**
 * EventBus carries main → page events (`Events` in the contract) from the services to
 * whatever transport is bound: `webContents.send` in Electron, Server-Sent Events in
 * browser mode. A listener that throws is reported and does not stop the others.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload);
      } catch (error) {
        console.error(`ORAS Desktop: a listener of ${event} failed:`, error);
      }
    }
  }
}
