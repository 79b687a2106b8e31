import { describe, expect, it } from 'vitest';
import { createFakeOras } from '../testing/fake-oras';
import { NOT_CONNECTED, ServiceError, call } from './oras';
import { createRegistriesService } from './registries';

describe('registries service', () => {
  it('unwraps values and sends the request main expects', async () => {
    const fake = createFakeOras();
    fake.accounts.set('127.0.0.1:5000', new Map([['alice', 's3cret']]));
    const service = createRegistriesService(() => fake.api);

    const request = { registry: '127.0.0.1:5000', username: 'alice', secret: 's3cret', options: { plainHttp: true } };
    await expect(service.test(request)).resolves.toBeUndefined();
    const entry = await service.add(request);
    expect(entry).toMatchObject({ id: '127.0.0.1:5000', username: 'alice', options: { plainHttp: true } });
    expect((await service.list()).map((e) => e.id)).toEqual(['local', '127.0.0.1:5000']);
    expect(await service.logout('127.0.0.1:5000')).not.toHaveProperty('username');
    await service.remove('127.0.0.1:5000');
    expect(fake.calls.map((c) => c.method)).toEqual([
      'testRegistry',
      'addRegistry',
      'listRegistries',
      'logoutRegistry',
      'removeRegistry',
    ]);
    expect(fake.calls[3]?.request).toEqual({ registry: '127.0.0.1:5000' });
  });

  it('throws a ServiceError carrying the code and message main sent', async () => {
    const fake = createFakeOras();
    fake.accounts.set('r.example', new Map([['alice', 'right']]));
    const service = createRegistriesService(() => fake.api);
    const error = await service.add({ registry: 'r.example', username: 'alice', secret: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: 'r.example: the user name or password is wrong' });
    expect(fake.saved().map((e) => e.id)).toEqual(['local']);
  });

  it('turns a rejected call into a NETWORK error', async () => {
    const fake = createFakeOras();
    fake.rejectNext('listRegistries', new TypeError('Failed to fetch'));
    const service = createRegistriesService(() => fake.api);
    await expect(service.list()).rejects.toMatchObject({
      code: 'NETWORK',
      message: 'Could not reach ORAS Desktop: Failed to fetch',
    });
  });

  it('says the page is not connected when there is no window.oras', async () => {
    const service = createRegistriesService(() => undefined);
    await expect(service.list()).rejects.toMatchObject(NOT_CONNECTED);
  });

  it('refuses an answer that is not a Result', async () => {
    await expect(call(() => createFakeOras().api, async () => 'nonsense' as never)).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });
});
