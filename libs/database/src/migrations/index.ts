import { Accounts1795335370021 } from './1795335370021-Accounts';
import { Documents1795336046486 } from './1795336046486-Documents';
import { Contributions1795459515272 } from './1795459515272-Contributions';
import { Events1795460304419 } from './1795460304419-Events';
import { Moderation1795462228477 } from './1795462228477-Moderation';
import { Reports1795464986226 } from './1795464986226-Reports';
import { ParagraphCounts1795470896226 } from './1795470896226-ParagraphCounts';
import { ThreadIndex1795471491431 } from './1795471491431-ThreadIndex';
import { StoredDiffs1795600000000 } from './1795600000000-StoredDiffs';

/** Every migration, in order. Landed migrations are never rewritten; add a new one instead. */
export const MIGRATIONS: Function[] = [Accounts1795335370021, Documents1795336046486, Contributions1795459515272, Events1795460304419, Moderation1795462228477, Reports1795464986226, ParagraphCounts1795470896226, ThreadIndex1795471491431, StoredDiffs1795600000000];
