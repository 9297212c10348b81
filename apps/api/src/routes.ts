import type { INestApplication } from '@nestjs/common';

export interface RouteInfo {
  method: string;
  path: string;
  /** `METHOD path`, as the access rules name it */
  key: string;
}

/**
 * Every HTTP route the app has registered (controllers and the OpenAPI pages), read from the Express router, so a
 * route added anywhere shows up here without being listed by hand.
 */
export function routes(app: INestApplication): RouteInfo[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const out: RouteInfo[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (!on || method === '_all') continue;
      const m = method.toUpperCase();
      out.push({ method: m, path: layer.route.path, key: `${m} ${layer.route.path}` });
    }
  }
  return out;
}
