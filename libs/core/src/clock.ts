import { Injectable } from '@nestjs/common';

/** The server's clock. Rules that depend on time (is a round open?) ask it, so tests can set the time. */
@Injectable()
export class Clock {
  private offsetMs = 0;
  private fixed?: number;

  now(): Date {
    return new Date(this.fixed ?? Date.now() + this.offsetMs);
  }

  /** Test helper: freeze the clock at a moment (or release it with undefined). */
  set(at: Date | undefined): void {
    this.fixed = at?.getTime();
  }

  /** Test helper: move the clock by a number of milliseconds. */
  advance(ms: number): void {
    if (this.fixed !== undefined) this.fixed += ms;
    else this.offsetMs += ms;
  }
}
