import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

export * from './trust-proxy';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase())
      ? true
      : ['0', 'false', 'no', 'off'].includes(String(value).toLowerCase())
        ? false
        : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const IsTrustProxy = () =>
  ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseTrustProxy(value) !== null,
      defaultMessage: () =>
        'TRUST_PROXY must be false, true, a number of proxy hops (1, 2 ...), or a comma-separated list of proxy addresses and CIDR ranges such as 10.0.0.0/8,::1 (or loopback, linklocal, uniquelocal)',
    },
  });

/** The environment as read at boot: names are the variables' names. */
class EnvSchema {
  @Transform(toInt) @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @Transform(emptyToUndefined) @IsOptional() @IsString() HOST?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must look like postgres://user:password@host:5432/database',
  })
  DATABASE_URL?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must look like redis://host:6379' })
  REDIS_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() DATA_DIR?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, {
    message: 'JWT_SECRET must be at least 32 characters long (or leave it unset to have one generated)',
  })
  JWT_SECRET?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  @MaxLength(256)
  ADMIN_PASSWORD?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @Transform(toInt) @IsOptional() @IsInt() @Min(30) @Max(86400) ACCESS_TOKEN_TTL?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(60) @Max(365 * 86400) REFRESH_TOKEN_TTL?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(100000) AUTH_RATE_LIMIT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(3600) AUTH_RATE_WINDOW?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(100000) LOGIN_ACCOUNT_FAILURE_LIMIT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(86400) LOGIN_ACCOUNT_FAILURE_WINDOW?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(100000) LOGIN_ADDRESS_FAILURE_LIMIT?: number;
  @Transform(emptyToUndefined) @IsOptional() @IsTrustProxy() TRUST_PROXY?: string;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(200) DB_POOL_SIZE?: number;
  @Transform(toBool) @IsOptional() @IsBoolean() SEED_DEMO?: boolean;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(1000000) SUBMISSION_RATE_LIMIT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(86400) SUBMISSION_RATE_WINDOW?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(1000) FLAG_REVIEW_THRESHOLD?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(100000) FLAG_RATE_LIMIT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(1000000) EDIT_RATE_LIMIT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(1000000) ENDORSEMENT_RATE_LIMIT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(86400) ACTION_RATE_WINDOW?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(1000000) SOCKET_RATE_LIMIT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(10000000) CLUSTER_BACKLOG_LIMIT?: number;
  @Transform(emptyToUndefined) @IsOptional() @IsString() CHROMIUM_PATH?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  /** Absent means: start the embedded PostgreSQL (PGlite) in dataDir. */
  databaseUrl?: string;
  redisUrl?: string;
  dataDir: string;
  jwtSecret: string;
  adminEmail: string;
  adminPassword?: string;
  logLevel: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  /** Requests per window per client address on register, login and refresh (high enough for a room behind one NAT). */
  authRateLimit: number;
  authRateWindow: number;
  /** Failed sign-ins for one email (whether or not it has an account) before it is refused, whatever the address. */
  loginAccountFailureLimit: number;
  loginAccountFailureWindow: number;
  /** Failed sign-ins from one client address per authRateWindow. */
  loginAddressFailureLimit: number;
  /** Whether, and from which peers, X-Forwarded-For is believed for the client's address. */
  trustProxy: TrustProxy;
  dbPoolSize: number;
  seedDemo: boolean;
  /** Contributions one account may submit per window (429 with Retry-After beyond). */
  submissionRateLimit: number;
  submissionRateWindow: number;
  /** Open flags that put a published contribution back in the moderation queue. */
  flagReviewThreshold: number;
  /** Flags one account may raise per minute. */
  flagRateLimit: number;
  /** Edits of contributions one account may make per actionRateWindow. */
  editRateLimit: number;
  /** Endorsements one account may make per actionRateWindow. */
  endorsementRateLimit: number;
  actionRateWindow: number;
  /** Live connections one address may open per minute (and one account, per minute, a tenth of it, at least 10). */
  socketRateLimit: number;
  /** Incremental duplicate checks waiting in one consultation beyond which the full job runs instead. */
  clusterBacklogLimit: number;
  /** Headless Chromium for PDF exports: CHROMIUM_PATH, else /usr/bin/chromium when present, else none. */
  chromiumPath?: string;
}

/** Injection token of the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once. `process.env` is read here and nowhere else.
 * Throws ConfigError naming each bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = plainToInstance(EnvSchema, pick(env), { enableImplicitConversion: false });
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: false });
  if (errors.length) {
    throw new ConfigError(
      errors.map(
        (e) =>
          `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(env[e.property])})`,
      ),
    );
  }
  const dataDir = resolve(parsed.DATA_DIR ?? './.data');
  return {
    port: parsed.PORT ?? 3000,
    host: parsed.HOST ?? '0.0.0.0',
    databaseUrl: parsed.DATABASE_URL,
    redisUrl: parsed.REDIS_URL,
    dataDir,
    jwtSecret: parsed.JWT_SECRET ?? persistentSecret(dataDir),
    adminEmail: (parsed.ADMIN_EMAIL ?? 'admin@plenary.local').toLowerCase(),
    adminPassword: parsed.ADMIN_PASSWORD,
    logLevel: parsed.LOG_LEVEL ?? 'info',
    accessTokenTtl: parsed.ACCESS_TOKEN_TTL ?? 900,
    refreshTokenTtl: parsed.REFRESH_TOKEN_TTL ?? 30 * 86400,
    authRateLimit: parsed.AUTH_RATE_LIMIT ?? 300,
    authRateWindow: parsed.AUTH_RATE_WINDOW ?? 60,
    loginAccountFailureLimit: parsed.LOGIN_ACCOUNT_FAILURE_LIMIT ?? 10,
    loginAccountFailureWindow: parsed.LOGIN_ACCOUNT_FAILURE_WINDOW ?? 900,
    loginAddressFailureLimit: parsed.LOGIN_ADDRESS_FAILURE_LIMIT ?? 100,
    trustProxy: parsed.TRUST_PROXY === undefined ? false : parseTrustProxy(parsed.TRUST_PROXY)!,
    dbPoolSize: parsed.DB_POOL_SIZE ?? 10,
    seedDemo: parsed.SEED_DEMO ?? true,
    submissionRateLimit: parsed.SUBMISSION_RATE_LIMIT ?? 20,
    submissionRateWindow: parsed.SUBMISSION_RATE_WINDOW ?? 60,
    flagReviewThreshold: parsed.FLAG_REVIEW_THRESHOLD ?? 3,
    flagRateLimit: parsed.FLAG_RATE_LIMIT ?? 30,
    editRateLimit: parsed.EDIT_RATE_LIMIT ?? 20,
    endorsementRateLimit: parsed.ENDORSEMENT_RATE_LIMIT ?? 60,
    actionRateWindow: parsed.ACTION_RATE_WINDOW ?? 60,
    socketRateLimit: parsed.SOCKET_RATE_LIMIT ?? 300,
    clusterBacklogLimit: parsed.CLUSTER_BACKLOG_LIMIT ?? 1000,
    chromiumPath: parsed.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  };
}

const ENV_NAMES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'REDIS_URL',
  'DATA_DIR',
  'JWT_SECRET',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'LOG_LEVEL',
  'ACCESS_TOKEN_TTL',
  'REFRESH_TOKEN_TTL',
  'AUTH_RATE_LIMIT',
  'AUTH_RATE_WINDOW',
  'DB_POOL_SIZE',
  'SEED_DEMO',
  'LOGIN_ACCOUNT_FAILURE_LIMIT',
  'LOGIN_ACCOUNT_FAILURE_WINDOW',
  'LOGIN_ADDRESS_FAILURE_LIMIT',
  'TRUST_PROXY',
  'SUBMISSION_RATE_LIMIT',
  'SUBMISSION_RATE_WINDOW',
  'FLAG_REVIEW_THRESHOLD',
  'FLAG_RATE_LIMIT',
  'SOCKET_RATE_LIMIT',
  'CLUSTER_BACKLOG_LIMIT',
  'CHROMIUM_PATH',
  'EDIT_RATE_LIMIT',
  'ENDORSEMENT_RATE_LIMIT',
  'ACTION_RATE_WINDOW',
] as const;

function pick(env: Record<string, string | undefined>) {
  return Object.fromEntries(ENV_NAMES.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
}

/** A secret generated once and kept in DATA_DIR, so that restarts keep sessions valid. */
function persistentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
