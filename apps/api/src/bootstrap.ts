import { RedisIoAdapter } from '@plenary/realtime';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import {
  AppConfig,
  CommonErrors,
  createValidationPipe,
  errorBody,
  inputProblem,
  toDomainError,
  trustFunction,
  verifyUtf8,
} from '@plenary/core';
import { AppModule } from './app.module';

export const BODY_LIMIT = '1mb';

/** Builds the whole application: used by main.ts and by every HTTP test, so tests exercise what ships. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Whose X-Forwarded-For decides req.ip (and so the per-address limits): TRUST_PROXY, off unless configured.
  app.set('trust proxy', trustFunction(config.trustProxy));
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          // Served over plain http on localhost by `npm start`: do not ask browsers to upgrade to https.
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  // `verify` is body-parser's own hook (Nest's types leave it out because Nest sets it for rawBody, which we do not use).
  const json = { limit: BODY_LIMIT, verify: verifyUtf8 };
  const urlencoded = { limit: BODY_LIMIT, extended: false, verify: verifyUtf8 };
  app.useBodyParser('json', json);
  app.useBodyParser('urlencoded', urlencoded);
  // Parsed, but nested too deep or holding NUL characters: refused here, before validation recurses into it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const problem = inputProblem(req.body) ?? inputProblem(req.query);
    if (!problem) return next();
    res.status(400).json(errorBody(CommonErrors.malformedBody(problem)));
  });
  // Body-parser failures (too large, not JSON) happen before Nest's filters: answer them in the same shape.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const e = toDomainError(err, req);
    if (res.headersSent) return next(err);
    res.status(e.status).json(errorBody(e));
  });
  app.useGlobalPipes(createValidationPipe());
  // The web app (apps/web, built by Vite into dist/web) at /; the API stays under /api.
  const web = [join(__dirname, '..', '..', '..', 'web'), join(__dirname, '..', '..', '..', 'dist', 'web')].find((d) =>
    existsSync(join(d, 'index.html')),
  );
  if (web)
    app.useStaticAssets(web, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: (res, path) => path.endsWith('index.html') && res.setHeader('Cache-Control', 'no-cache'),
    });
  // Sockets (namespace /live) share the HTTP server; with REDIS_URL they fan out through Redis to every process.
  if (config.redisUrl) {
    const adapter = new RedisIoAdapter(app);
    await adapter.connect(config.redisUrl);
    app.useWebSocketAdapter(adapter);
  }
  setupOpenApi(app);
  return app;
}

function setupOpenApi(app: INestApplication): void {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Plenary API')
      .setDescription(
        'Open consultation platform for multistakeholder processes. Errors are `{ error: { code, message, details } }`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
}
