// @zoom/rtms is loaded only when RTMS is configured, and a missing or unusable package (its
// native SDK is not on this machine) is said clearly instead of breaking start-up.
import { describe, expect, it } from 'vitest';
import { loadRtms } from '../../../addins/zoom/rtms.ts';
import { capturedLogger as captured } from '../../support/captured-logger.ts';

const options = { clientId: 'id', clientSecret: 'secret-value-123456' };

describe('loading RTMS', () => {
  it('does not touch the package when RTMS is not configured', async () => {
    const log = captured();
    expect(
      await loadRtms({
        ...options,
        enabled: false,
        logger: log.logger,
        specifier: 'no-such-package-x',
      }),
    ).toBeUndefined();
    expect(log.text()).toBe('');
  });

  it('says so once and falls back when the package is missing', async () => {
    const log = captured();
    expect(
      await loadRtms({
        ...options,
        enabled: true,
        logger: log.logger,
        specifier: 'no-such-package-x',
      }),
    ).toBeUndefined();
    expect(log.text()).toContain('cannot be loaded on this machine');
    expect(log.text()).toContain('recording.transcript_completed');
    expect(log.text()).not.toContain('secret-value-123456');
  });

  it('with the installed @zoom/rtms, either loads it or says why not; start-up goes on', async () => {
    const log = captured();
    const live = await loadRtms({ ...options, enabled: true, logger: log.logger });
    if (live) expect(log.text()).toContain('Zoom RTMS is on');
    else expect(log.text()).toContain('cannot be loaded on this machine');
  });
});
