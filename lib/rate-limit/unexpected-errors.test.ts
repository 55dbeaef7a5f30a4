import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { noteUnexpectedError, UNEXPECTED_ERROR_LIMIT, UNEXPECTED_ERRORS_LOGGED_PER_MINUTE, unexpectedErrorWait } from './unexpected-errors';

let consoleError: MockInstance;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => consoleError.mockRestore());

// each test starts in a minute of its own (the log's allowance is per minute, per process)
let clock = Date.now();
const nextMinute = () => (clock += 3600_000);

describe('unexpected errors of unauthenticated requests', () => {
  it('refuse an address once it reached the limit in its window, and only that address', () => {
    const t = nextMinute();
    for (let i = 0; i < UNEXPECTED_ERROR_LIMIT.max - 1; i++) noteUnexpectedError('10.6.0.1', 'boom', new Error('x'), t);
    expect(unexpectedErrorWait('10.6.0.1', t)).toBe(0);
    noteUnexpectedError('10.6.0.1', 'boom', new Error('x'), t);
    expect(unexpectedErrorWait('10.6.0.1', t)).toBe(UNEXPECTED_ERROR_LIMIT.windowSeconds);
    expect(unexpectedErrorWait('10.6.0.2', t)).toBe(0);
    // the window ends
    expect(unexpectedErrorWait('10.6.0.1', t + UNEXPECTED_ERROR_LIMIT.windowSeconds * 1000)).toBe(0);
  });

  it('log a few in full each minute, then one line counting the rest', () => {
    const t = nextMinute();
    noteUnexpectedError('10.6.1.0', '[token 0] unexpected error', new Error('fault 0'), t);
    // (a previous minute's count of left-out errors may come first)
    expect(consoleError.mock.calls.at(-1)![0]).toBe('[token 0] unexpected error (unauthenticated, from 10.6.1.0)');
    consoleError.mockClear();
    for (let i = 1; i < 50; i++) noteUnexpectedError(`10.6.1.${i}`, `[token ${i}] unexpected error`, new Error(`fault ${i}`), t + i);
    expect(consoleError).toHaveBeenCalledTimes(UNEXPECTED_ERRORS_LOGGED_PER_MINUTE - 1);
    // the next minute's first error: the count of those left out, then the error itself
    noteUnexpectedError('10.6.1.99', 'later', new Error('later'), t + 61_000);
    expect(consoleError).toHaveBeenCalledTimes(UNEXPECTED_ERRORS_LOGGED_PER_MINUTE + 1);
    expect(consoleError.mock.calls[UNEXPECTED_ERRORS_LOGGED_PER_MINUTE - 1][0]).toMatch(
      /45 more unexpected errors of unauthenticated requests in the last minute were not logged/,
    );
  });
});
