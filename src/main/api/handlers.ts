import type { z } from 'zod';
import { channels, type AppInfo, type Channel, type ChannelResponse, type Result } from '../../shared/contract';
import { OrasError } from '../engine/errors';
import type { AppServices } from '../services';
import { toSerializedError } from '../services/serialized-error';
import { describeIssues, fail, ok } from './errors';

/** ChannelInput is a channel's request after its schema ran (defaults filled in). */
export type ChannelInput<C extends Channel> = z.output<(typeof channels)[C]['request']>;

/** Handler answers one channel: any input in (the page is untrusted), a `Result` out, never a throw. */
export type Handler<C extends Channel> = (request?: unknown) => Promise<Result<ChannelResponse<C>>>;

/** HandlerTable has one handler per channel; both transports (IPC, HTTP) bind the same table. */
export type HandlerTable = { readonly [C in Channel]: Handler<C> };

type Implementations = { readonly [C in Channel]: (request: ChannelInput<C>) => Promise<ChannelResponse<C>> };

export interface HandlerContext {
  services: AppServices;
  mode: AppInfo['mode'];
  version: string;
  /**
   * pickFolder shows the desktop's folder dialog for the composer (Electron), answering
   * the chosen path or undefined when cancelled; absent in browser mode.
   */
  pickFolder?: () => Promise<string | undefined>;
  /** Where unexpected errors are logged (never sent to the page). Default console.error. */
  log?: (error: unknown) => void;
}

/**
 * createHandlers binds every channel to its service call: the request is checked
 * against the channel's schema (a failure answers INVALID_ARGUMENT naming the fields,
 * without their values), then the service runs; an OrasError answers its code and
 * message, anything else INTERNAL with a generic message.
 */
export function createHandlers(context: HandlerContext): HandlerTable {
  const { services, mode } = context;
  const implementations: Implementations = {
    'app.info': async () => ({ version: context.version, platform: process.platform, mode }),
    'registries.list': () => services.registries.list(),
    'registries.add': (request) => afterChange(request.registry, services.registries.add(request)),
    'registries.test': async (request) => {
      await services.registries.test(request);
      return { ok: true };
    },
    'registries.update': (request) => afterChange(request.registry, services.registries.update(request)),
    'registries.logout': (request) => afterChange(request.registry, services.registries.logout(request.registry)),
    'registries.remove': async (request) => {
      await afterChange(request.registry, services.registries.remove(request.registry));
      return { removed: true };
    },
    'jobs.cancel': async (request) => ({ cancelled: services.jobs.cancel(request.jobId) }),
    'files.stage': async (request) => {
      if (mode === 'browser') {
        throw new OrasError('UNSUPPORTED', 'in browser mode files are uploaded, not named by path (window.oras.stageFiles does this)');
      }
      return services.staging.register(request.paths);
    },
    'files.pickFolder': async () => {
      if (mode === 'browser' || !context.pickFolder) {
        throw new OrasError('UNSUPPORTED', 'browser mode has no folder dialog: choose the folder with the page’s file input');
      }
      const chosen = await context.pickFolder();
      if (chosen === undefined) return { cancelled: true };
      const [staged] = await services.staging.register([chosen]);
      if (!staged) throw new OrasError('INTERNAL', 'the folder was not staged');
      return staged;
    },
    'browse.repositories': (request) => services.browse.repositories(request),
    'browse.tags': (request) => services.browse.tags(request),
    'browse.tagDetails': (request) => services.browse.tagDetails(request),
    'browse.manifest': (request) => services.browse.manifest(request),
    'browse.referrers': (request) => services.browse.referrers(request),
    'browse.blob': (request) => services.browse.blob(request),
    'tags.add': (request) => services.browse.addTags(request),
    'manifests.delete': (request) => services.browse.deleteManifest(request),
    'downloads.blob': (request) => services.downloadJobs.blob(request),
    'downloads.pull': (request) => services.downloadJobs.pull(request),
    'drafts.get': () => services.drafts.get(),
    'drafts.save': (request) => services.drafts.save(request.draft),
    'drafts.discard': async () => ({ discarded: await services.drafts.discard() }),
    'push.suggestMediaTypes': (request) => services.push.suggestMediaTypes(request.stagedId),
    'push.validate': (request) => services.push.validate(request.draft),
    'push.preview': (request) => services.push.preview(request.draft),
    'push.run': (request) => services.push.run(request.draft, request.created),
    'push.outcome': async (request) => services.push.outcome(request.jobId),
    'artifacts.copy': (request) => services.push.copy(request),
  };
  /**
   * afterChange closes the browse service's connections to a registry once its login
   * or options changed (or it was removed), so the next read uses what was saved.
   */
  async function afterChange<T>(registry: string, change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      try {
        await services.browse.targets.forget(registry.trim());
      } catch {
        // Best effort: a registry that was never opened has nothing to close.
      }
    }
  }
  const table = {} as Record<Channel, Handler<Channel>>;
  for (const channel of Object.keys(implementations) as Channel[]) {
    table[channel] = bind(channel, implementations[channel] as (request: unknown) => Promise<never>, context.log);
  }
  return Object.freeze(table) as HandlerTable;
}

function bind<C extends Channel>(
  channel: C,
  implementation: (request: unknown) => Promise<ChannelResponse<C>>,
  log?: (error: unknown) => void,
): Handler<C> {
  const schema = channels[channel].request;
  return async (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      return fail({ code: 'INVALID_ARGUMENT', message: describeIssues(channel, parsed.error.issues) });
    }
    try {
      return ok(await implementation(parsed.data));
    } catch (error) {
      return fail(toSerializedError(error, log));
    }
  };
}

/** isChannel tells a channel name from any other string (a URL path, an IPC name). */
export function isChannel(name: string): name is Channel {
  return Object.hasOwn(channels, name);
}

/** dispatch runs the handler of a channel named by an untrusted string. */
export function dispatch(table: HandlerTable, name: string, request: unknown): Promise<Result<unknown>> {
  if (!isChannel(name)) {
    return Promise.resolve(fail({ code: 'NOT_FOUND', message: `there is no channel ${JSON.stringify(name.slice(0, 100))}` }));
  }
  return table[name](request);
}
