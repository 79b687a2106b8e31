import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '../services/events';
import { SECURITY_HEADERS } from './http';

/**
 * EventStreams sends the services' events to the pages as Server-Sent Events
 * (`GET /api/events`): one stream per page, a keep-alive comment every
 * `heartbeatSeconds` (default 15) so proxies and the browser keep it open, and
 * `closeAll` to end them when the server stops.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly events: Pick<EventBus, 'subscribe'>,
    private readonly heartbeatSeconds = 15,
  ) {}

  /** stream answers one EventSource request and keeps it open until either side closes. */
  stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    this.open.add(res);
    const unsubscribe = this.events.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), this.heartbeatSeconds * 1000);
    heartbeat.unref();
    const stop = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    req.once('close', stop);
    res.once('close', stop);
  }

  /** closeAll ends every open stream. */
  closeAll(): void {
    for (const res of this.open) res.end();
  }
}
