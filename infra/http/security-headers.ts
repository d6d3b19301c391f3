// Security headers on every response (helmet), plus Permissions-Policy, which helmet does not
// set. Pages that Teams, Outlook or Zoom embed may be framed only by those hosts; every other
// page refuses framing.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The hosts that frame Quorum's embedded pages, per platform. */
export const FRAME_HOSTS = {
  teams: [
    'https://teams.microsoft.com',
    'https://*.teams.microsoft.com',
    'https://*.cloud.microsoft',
    'https://*.office.com',
  ],
  outlook: [
    'https://outlook.office.com',
    'https://outlook.office365.com',
    'https://outlook.live.com',
    'https://*.cloud.microsoft',
  ],
  zoom: ['https://*.zoom.us', 'https://zoom.us'],
} as const;

const PERMISSIONS_POLICY = 'camera=(), geolocation=(), microphone=(self)';

export function securityHeaders(): RequestHandler {
  const base = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
  });
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    base(req, res, next);
  };
}

/**
 * For pages embedded by a platform: replaces `frame-ancestors 'none'` with the platform's hosts
 * and drops X-Frame-Options (which cannot name hosts). Mount after `securityHeaders()`.
 */
export function allowFramingBy(
  hosts: readonly string[],
  extraScriptSrc: string[] = [],
): RequestHandler {
  return (_req, res, next) => {
    const csp = String(res.getHeader('Content-Security-Policy') ?? '');
    let updated = csp.replace(/frame-ancestors [^;]*/, `frame-ancestors 'self' ${hosts.join(' ')}`);
    if (extraScriptSrc.length > 0) {
      updated = updated.replace(/script-src ([^;]*)/, `script-src $1 ${extraScriptSrc.join(' ')}`);
    }
    res.setHeader('Content-Security-Policy', updated);
    res.removeHeader('X-Frame-Options');
    next();
  };
}
