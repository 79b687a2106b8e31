import { OrasError } from '../errors';
import { discard, header, redactUrl, type Send } from './http';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * redirectLayer follows redirects of GET and HEAD itself (blob downloads are often sent
 * to a storage service), at most `max` times. It never carries the caller's headers'
 * `Authorization` to the new URL (the auth layer below adds credentials only for the
 * registry's own origin), and refuses a step down from https to http, which would
 * expose the content and any signed URL (cf. CVE-2023-33195 class of redirect leaks).
 */
export function redirectLayer(next: Send, max = 10): Send {
  return async (request) => {
    let current = request;
    for (let hop = 0; ; hop++) {
      const response = await next(current);
      if (!REDIRECTS.has(response.status) || (current.method !== 'GET' && current.method !== 'HEAD')) {
        return response;
      }
      const location = header(response, 'location');
      await discard(response);
      if (!location) {
        throw new OrasError('REGISTRY_ERROR', `${current.method} ${redactUrl(current.url)} answered ${response.status} without a Location`);
      }
      if (hop >= max) {
        throw new OrasError('REGISTRY_ERROR', `${current.method} ${redactUrl(request.url)}: more than ${max} redirects`);
      }
      const target = new URL(location, current.url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw new OrasError('REGISTRY_ERROR', `refusing redirect to ${target.protocol} URL`);
      }
      if (current.url.protocol === 'https:' && target.protocol === 'http:') {
        throw new OrasError('REGISTRY_ERROR', `refusing redirect from https to plain http (${redactUrl(target)})`);
      }
      const headers = { ...current.headers };
      if (target.origin !== current.url.origin) {
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase() === 'authorization' || name.toLowerCase() === 'cookie') delete headers[name];
        }
      }
      current = { ...current, url: target, headers };
    }
  };
}
