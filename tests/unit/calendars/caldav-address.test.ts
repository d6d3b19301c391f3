// CalDAV addresses typed by users must not lead Quorum into its own network.
import { describe, expect, it } from 'vitest';
import {
  assertReachableCalDavHost,
  isNonPublicAddress,
} from '../../../core/calendars/connections/caldav-address.ts';

describe('which addresses Quorum will not call for a CalDAV server', () => {
  it.each([
    '10.1.2.3',
    '172.20.0.5',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
  ])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '2606:2800:220:1::1', '127.0.0.1', '::1', '8.8.8.8'])(
    'allows %s (public, or loopback for the embedded default)',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe('assertReachableCalDavHost', () => {
  it('refuses a private address with a message that says what to do', async () => {
    const refused = assertReachableCalDavHost(new URL('https://169.254.169.254/latest/'), {
      allowPrivateNetworks: false,
    });
    await expect(refused).rejects.toMatchObject({
      problem: 'caldav-private-address',
      message: expect.stringContaining('QUORUM_CALDAV_ALLOW_PRIVATE_NETWORKS=true'),
    });
    await expect(
      assertReachableCalDavHost(new URL('https://[fd00::5]/dav/'), { allowPrivateNetworks: false }),
    ).rejects.toMatchObject({ problem: 'caldav-private-address' });
  });

  it('lets a deployment allow private networks, and always allows loopback', async () => {
    await expect(
      assertReachableCalDavHost(new URL('https://10.0.0.7/dav/'), { allowPrivateNetworks: true }),
    ).resolves.toBeUndefined();
    await expect(
      assertReachableCalDavHost(new URL('http://localhost:5232/'), { allowPrivateNetworks: false }),
    ).resolves.toBeUndefined();
  });
});
