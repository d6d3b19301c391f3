// Email's settings and the rules that keep headers safe: SMTP_URL and QUORUM_MAIL_FROM go
// together, TLS is required except to a relay on loopback, and no header value can hold a line
// break, whatever a guest types as their name or a title.
import { describe, expect, it } from 'vitest';
import { headerText, renderEmail, safeRecipient } from '../../../core/email/index.ts';
import { smtpOptions } from '../../../infra/providers/smtp/smtp-transport.ts';
import { loadConfig } from '../../../infra/server/config.ts';

describe('email settings', () => {
  it('is off without SMTP_URL, and names what is missing when half set', () => {
    const off = loadConfig({});
    expect(off.ok && off.config.mail).toBeUndefined();
    expect(loadConfig({ SMTP_URL: 'smtp://relay.example:587' })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^QUORUM_MAIL_FROM: /)],
    });
    expect(loadConfig({ QUORUM_MAIL_FROM: 'quorum@acme.example' })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^SMTP_URL: /)],
    });
  });

  it('refuses another scheme without echoing the URL (it holds the password)', () => {
    const bad = loadConfig({
      SMTP_URL: 'http://user:hunter2@relay.example',
      QUORUM_MAIL_FROM: 'quorum@acme.example',
    });
    expect(bad).toEqual({ ok: false, problems: ['SMTP_URL: is not valid'] });
  });

  it('requires TLS except to a loopback relay', () => {
    expect(smtpOptions('smtp://u:p@relay.example:587')).toMatchObject({
      secure: false,
      requireTLS: true,
      auth: { user: 'u', pass: 'p' },
    });
    expect(smtpOptions('smtps://relay.example')).toMatchObject({ secure: true, port: 465 });
    expect(smtpOptions('smtp://127.0.0.1:25')).toMatchObject({ requireTLS: false });
    expect(smtpOptions('smtp://[::1]:25')).toMatchObject({ requireTLS: false, host: '::1' });
    expect(smtpOptions('smtp://localhost.evil.example:25')).toMatchObject({ requireTLS: true });
  });
});

describe('header safety', () => {
  it('makes every header value one line', () => {
    expect(headerText('Budget\r\nBcc: mallory@evil.example')).toBe(
      'Budget Bcc: mallory@evil.example',
    );
    expect(headerText('a\u2028b\u0085c\u0000d')).toBe('a b c d');
  });

  it('refuses an address that is not a plain address', () => {
    expect(() => safeRecipient({ email: 'gina@guest.example\r\nBcc: x@evil.example' })).toThrow(
      /not a plain email address/,
    );
    expect(() => safeRecipient({ email: '"Gina" <gina@guest.example>' })).toThrow();
    expect(safeRecipient({ email: 'gina@guest.example', name: 'Gina\nX' })).toEqual({
      email: 'gina@guest.example',
      name: 'Gina X',
    });
  });

  it('escapes what people typed in the HTML, and links only web addresses', () => {
    const email = renderEmail({
      to: { email: 'gina@guest.example' },
      subject: 'Hi\r\nBcc: x@evil.example',
      heading: '<script>alert(1)</script>',
      actions: [
        { label: 'Open', url: 'javascript:alert(1)' },
        { label: 'Vote', url: 'https://quorum.example/polls/1?t=abc' },
      ],
      why: 'you were asked.',
    });
    expect(email.subject).toBe('Hi Bcc: x@evil.example');
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('javascript:');
    expect(email.text).toContain('Vote: https://quorum.example/polls/1?t=abc');
    expect(email.text).toMatch(/You got this email because you were asked\./);
  });
});
