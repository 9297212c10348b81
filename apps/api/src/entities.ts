import { RefreshTokenEntity, SessionEntity, UserEntity } from '@plenary/accounts';

/** Every entity of every lib: what the schema should be. Used by the migration CLI and the schema test. */
export const ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity];
