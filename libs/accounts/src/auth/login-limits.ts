import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@plenary/core';
import { AccountErrors } from '../accounts.errors';
import { SharedThrottlerStorage } from '../shared-throttler-storage';

/** A sign-in attempt that holds a failure slot for its account and its address until it is known to have succeeded. */
export interface LoginAttempt {
  /** The password was right: the attempt does not count as a failure. */
  succeeded(): Promise<void>;
}

const ACCOUNT = 'login-account-failures';
const ADDRESS = 'login-address-failures';

/**
 * Failed sign-ins, limited per account and per client address (besides the ceiling on all requests per address that
 * the `auth` throttler keeps).
 *
 * Per account: LOGIN_ACCOUNT_FAILURE_LIMIT failures within LOGIN_ACCOUNT_FAILURE_WINDOW for one email, from wherever
 * they come, and further attempts for it are refused (429), even with the right password, until the window ends. The
 * email is counted whether or not it has an account, and the answer is the same, so the limit reveals nothing.
 * Per address: LOGIN_ADDRESS_FAILURE_LIMIT failures within AUTH_RATE_WINDOW, so one address cannot try a password
 * across many accounts; set well above what a room of delegates behind one NAT mistypes.
 *
 * Each attempt takes its failure slot before the password is checked and gives it back when the password was right,
 * so a burst of parallel guesses cannot overshoot the limit. Counted in Redis when REDIS_URL is set (every process).
 */
@Injectable()
export class LoginLimits {
  constructor(
    private readonly storage: SharedThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes the attempt's failure slots, or throws 429 with Retry-After when the account or the address has none left. */
  async begin(email: string, address: string): Promise<LoginAttempt> {
    const accountKey = sha256(email.trim().toLowerCase());
    const addressKey = addressKeyFor(address);
    const byAddress = await this.storage.reserve(
      ADDRESS,
      addressKey,
      this.config.loginAddressFailureLimit,
      this.config.authRateWindow * 1000,
    );
    if (!byAddress.taken) throw AccountErrors.tooManyFailedSignIns(byAddress.retryAfterSeconds);
    const byAccount = await this.storage.reserve(
      ACCOUNT,
      accountKey,
      this.config.loginAccountFailureLimit,
      this.config.loginAccountFailureWindow * 1000,
    );
    if (!byAccount.taken) {
      await this.storage.release(ADDRESS, addressKey);
      throw AccountErrors.tooManyFailedSignIns(byAccount.retryAfterSeconds);
    }
    return {
      succeeded: async () => {
        await Promise.all([this.storage.release(ACCOUNT, accountKey), this.storage.release(ADDRESS, addressKey)]);
      },
    };
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** An address as the throttler counts it (an IPv6 address by its /64); anything else, hashed to a bounded key. */
function addressKeyFor(address: string): string {
  return isIP(address) ? normalizeIp(address) : `x${sha256(address).slice(0, 32)}`;
}
