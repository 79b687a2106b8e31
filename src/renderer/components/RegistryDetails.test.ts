import { describe, expect, it } from 'vitest';
import type { RegistryEntry } from '../../shared/contract';
import { connectionOf, isLoopback } from './RegistryDetails';
import { subtitleOf } from './RegistryRow';

const remote = (id: string, options: RegistryEntry['options'] = {}): RegistryEntry => ({ id, kind: 'remote', label: id, options });

describe('registry descriptions', () => {
  it('knows loopback hosts', () => {
    for (const h of ['localhost:5000', '127.0.0.1', '127.1.2.3:80', '[::1]:5000', 'registry.localhost']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['ghcr.io', '10.0.0.1:5000', 'localhost.example.com', '[::2]']) expect(isLoopback(h), h).toBe(false);
  });

  it('says how a registry is reached', () => {
    expect(connectionOf(remote('ghcr.io'))).toBe('HTTPS');
    expect(connectionOf(remote('127.0.0.1:5000'))).toBe('Plain HTTP (the default on this computer)');
    expect(connectionOf(remote('127.0.0.1:5000', { plainHttp: false }))).toBe('HTTPS');
    expect(connectionOf(remote('r.example', { plainHttp: true }))).toBe('Plain HTTP, no TLS');
    expect(connectionOf(remote('r.example', { insecure: true }))).toBe('HTTPS, certificates not checked');
    expect(connectionOf(remote('r.example', { caFile: '/ca.pem' }))).toBe('HTTPS, trusting the CA in /ca.pem');
  });

  it('subtitles rows', () => {
    expect(subtitleOf({ id: 'local', kind: 'local', label: 'Local OCI layout', options: {} })).toMatch(/Default/);
    expect(subtitleOf({ ...remote('r'), username: 'alice' })).toBe('alice');
    expect(subtitleOf(remote('r'))).toBe('Anonymous');
  });
});
