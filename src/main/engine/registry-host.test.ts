import { describe, expect, it } from 'vitest';
import { parseRegistryHost, registryNameOf } from './registry-host';

describe('parseRegistryHost', () => {
  it('normalises host[:port], with a scheme or an API path', () => {
    expect(parseRegistryHost('localhost:5000')).toBe('localhost:5000');
    expect(parseRegistryHost('  Registry.Example.com ')).toBe('registry.example.com');
    expect(parseRegistryHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(parseRegistryHost('registry-1.docker.io')).toBe('docker.io');
    expect(parseRegistryHost('http://Localhost:5000/')).toBe('localhost:5000');
    expect(parseRegistryHost('https://ghcr.io/v2')).toBe('ghcr.io');
    expect(parseRegistryHost('[::1]:5000')).toBe('[::1]:5000');
  });

  it('refuses a repository, a bad host or port, saying what to write', () => {
    expect(() => parseRegistryHost('localhost:5000/repo')).toThrow(/"localhost:5000\/repo" is not a registry: give host\[:port\] only/);
    expect(() => parseRegistryHost('https://ghcr.io/v2/org')).toThrow(/not a registry/);
    expect(() => parseRegistryHost('bad host')).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE' }));
    expect(() => parseRegistryHost('localhost:99999')).toThrow(/port/);
    expect(() => parseRegistryHost('')).toThrow(/empty/);
  });
});

describe('registryNameOf', () => {
  it("folds config keys as Docker does, dropping any path, and never throws", () => {
    expect(registryNameOf('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryNameOf('https://Registry.Example.com/some/path')).toBe('registry.example.com');
    expect(registryNameOf('localhost:5000')).toBe('localhost:5000');
    expect(registryNameOf('not a host')).toBe('not a host');
  });
});
