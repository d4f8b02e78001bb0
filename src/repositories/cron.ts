/**
 * Cron expressions, behind a repository: croner parses them (five fields, or six with seconds first; names of
 * months and days; `L`, `#`, `W`) and finds the next occurrence in an IANA time zone. Croner's own timers are
 * never started: the scheduler asks for the next time and waits on its clock.
 */
import { Cron } from 'croner';

export interface CronRepository {
  /** Why the expression or time zone is not usable; undefined when it is. */
  problem(expression: string, timezone: string): string | undefined;
  /** The first occurrence strictly after `after`; undefined when there is none. */
  next(expression: string, timezone: string, after: Date): Date | undefined;
}

const MAX_EXPRESSION = 200;

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Croner, one parse per call (expressions are short; the scheduler asks once per firing). */
export class CronerRepository implements CronRepository {
  problem(expression: string, timezone: string): string | undefined {
    if (expression.length > MAX_EXPRESSION) return `the cron expression is longer than ${MAX_EXPRESSION} characters`;
    if (!isTimeZone(timezone)) return `unknown time zone "${timezone.slice(0, 60)}" (an IANA name such as UTC or America/New_York)`;
    const fields = expression.trim().split(/\s+/).length;
    if (fields !== 5 && fields !== 6) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first); got ${fields}`;
    try {
      new Cron(expression, { timezone, paused: true });
    } catch (e) {
      return `invalid cron expression: ${e instanceof Error ? e.message : String(e)}`;
    }
    return undefined;
  }

  next(expression: string, timezone: string, after: Date): Date | undefined {
    const next = new Cron(expression, { timezone, paused: true }).nextRun(after);
    return next ?? undefined;
  }
}
