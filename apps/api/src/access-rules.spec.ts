import { RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE } from '@plenary/accounts';
import { startTestApp, TestApp } from '../../../test/support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Every route the app registers, with its declared access rule (undefined when none). */
export function routes(app: TestApp['app']) {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const found: { route: string; rule: unknown }[] = [];
  for (const wrapper of discovery.getControllers()) {
    const proto = Object.getPrototypeOf(wrapper.instance);
    const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype!) ?? '');
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler);
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const rule = reflector.getAllAndOverride(ACCESS_RULE, [handler, wrapper.metatype as Function]);
      found.push({ route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`, rule });
    }
  }
  return found;
}

describe('access rules', () => {
  it('every registered route declares who may call it', () => {
    const all = routes(t.app);
    expect(all.length).toBeGreaterThan(5);
    expect(all.filter((r) => !r.rule).map((r) => r.route)).toEqual([]);
    expect(all.map((r) => r.route)).toEqual(expect.arrayContaining(['POST /api/auth/register', 'PATCH /api/users/:id', 'GET /health']));
  });
});
