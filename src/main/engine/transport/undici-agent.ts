import type { Agent } from 'undici';
// @ts-expect-error undici types its index only; this file is its Agent, the same class.
import AgentClass from 'undici/lib/dispatcher/agent.js';

/**
 * UndiciAgent is undici's `Agent`, loaded from its own file. The index loads all of
 * undici (fetch, WebSocket, caches, mocks) on start: about 0.2 s of CPU and a good part
 * of a second on a busy machine for every `oras` command, which a registry client never
 * uses. connections.test.ts checks that this is the index's very class.
 */
export const UndiciAgent: typeof Agent = AgentClass as typeof Agent;
