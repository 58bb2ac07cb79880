// snapshotUpdateMode reads a private field of vitest's SnapshotState (there is no public accessor in vitest 3):
// these tests fail when a vitest release stops exposing it that way, before users' -u silently stops deleting.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { snapshotUpdateMode } from '../../../src/templates/vitest.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('snapshotUpdateMode', () => {
  it("reads this vitest's update mode: one of all, new, none", () => {
    expect(snapshotUpdateMode()).toMatch(/^(all|new|none)$/);
  });

  it('answers undefined when the field is missing or unknown (a vitest that renamed it), so nothing is deleted', () => {
    const real = expect.getState();
    const spy = vi.spyOn(expect, 'getState');
    spy.mockReturnValue({ ...real, snapshotState: { renamed: 'all' } as never });
    expect(snapshotUpdateMode()).toBeUndefined();
    spy.mockReturnValue({ ...real, snapshotState: { _updateSnapshot: true } as never });
    expect(snapshotUpdateMode()).toBeUndefined();
  });
});
