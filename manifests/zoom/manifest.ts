// The Zoom app manifest (Zoom App Marketplace → Build App → General app → Manage → App
// manifest), made from Quorum's public URL and what the code uses (addins/zoom/app-definition.ts):
// the panel's home URL, the domain allow list, in-client OAuth and its redirect URL, the scopes,
// the Apps SDK APIs the panel calls, and the webhook events Quorum handles.
//
//   node manifests/zoom/manifest.ts https://quorum.example.com
//
// Zoom publishes the manifest's fields as documentation, not as a JSON Schema; the validation
// below is Quorum's own zod schema of those documented fields plus cross-checks (every URL
// under an allow-listed domain, known Apps SDK API names from @zoom/appssdk's own typings).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  CALLBACK_PATH,
  PANEL_APIS,
  PANEL_PATH,
  SCOPES,
  SUBSCRIBED_EVENTS,
  WEBHOOK_PATH,
} from '../../addins/zoom/app-definition.ts';
import type { ManifestFile, ManifestModule } from '../types.ts';

export const MANIFEST_PATH = 'zoom/manifest.json';

function baseOf(baseUrl: string): URL {
  const url = new URL(baseUrl);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !local) {
    throw new Error(`Zoom opens only https URLs; ${baseUrl} is not one.`);
  }
  return url;
}

export function zoomManifest(baseUrl: string) {
  const url = baseOf(baseUrl);
  const base = url.href.replace(/\/+$/, '');
  const home = `${base}${PANEL_PATH}`;
  const redirect = `${base}${CALLBACK_PATH}`;
  const webhook = `${base}${WEBHOOK_PATH}`;
  return {
    display_information: {
      display_name: 'Quorum',
      description: 'Agenda, live notes and follow-ups for your meetings.',
      long_description:
        'Quorum shows the agenda it prepared, the participants and live transcript lines in the meeting, books a follow-up at the next time that suits everyone, and shares the summary, decisions and action items to the meeting chat afterwards.',
    },
    oauth_information: {
      usage: 'USER_OPERATION',
      development_redirect_uri: redirect,
      production_redirect_uri: redirect,
      oauth_allow_list: [redirect, home],
      strict_mode: true,
      subdomain_strict_mode: true,
      scopes: SCOPES.map((scope) => ({ scope, optional: false })),
      scope_description:
        'Quorum reads your Zoom profile to know who you are, creates Zoom meetings for the bookings you make with a Zoom link, and reads the transcripts of your recorded meetings to summarize them.',
    },
    features: {
      products: ['ZOOM_MEETING'],
      development_home_uri: home,
      production_home_uri: home,
      // The panel loads only from Quorum's own origin (the Apps SDK is bundled, no CDN).
      domain_allow_list: [
        { domain: url.host, explanation: 'Quorum itself: the panel, its scripts and its API.' },
      ],
      in_client_feature: {
        zoom_app_api: { enable: true, zoom_app_apis: [...PANEL_APIS] },
        guest_mode: { enable: false, enable_test_guest_mode: false },
        in_client_oauth: { enable: true },
        collaborate_mode: {
          enable: false,
          enable_screen_sharing: false,
          enable_play_together: false,
        },
      },
      event_subscription: {
        enable: true,
        events: [
          {
            subscription_name: 'Quorum meetings',
            event_types: [...SUBSCRIBED_EVENTS],
            development_webhook_url: webhook,
            production_webhook_url: webhook,
          },
        ],
      },
    },
  };
}

const link = z.url({ protocol: /^https?$/ });
/** The documented manifest fields Quorum fills in (developers.zoom.us, build-flow manifests). */
const manifestSchema = z.strictObject({
  display_information: z.strictObject({
    display_name: z.string().min(1).max(64),
    description: z.string().min(1).max(200),
    long_description: z.string().max(4000).optional(),
  }),
  oauth_information: z.strictObject({
    usage: z.enum(['USER_OPERATION', 'ADMIN_OPERATION']),
    development_redirect_uri: link,
    production_redirect_uri: link,
    oauth_allow_list: z.array(link).min(1),
    strict_mode: z.boolean(),
    subdomain_strict_mode: z.boolean(),
    scopes: z
      .array(
        z.strictObject({
          scope: z.string().regex(/^[a-z_]+:[a-z_]+(:[a-z_]+)?$/),
          optional: z.boolean(),
        }),
      )
      .min(1),
    scope_description: z.string().max(2000).optional(),
  }),
  features: z.strictObject({
    products: z
      .array(
        z.enum([
          'ZOOM_MEETING',
          'ZOOM_CHAT',
          'ZOOM_PHONE',
          'ZOOM_ROOM',
          'ZOOM_WEBINAR',
          'ZOOM_CONTACT_CENTER',
          'ZOOM_WHITEBOARD',
          'ZOOM_EVENTS',
        ]),
      )
      .min(1),
    development_home_uri: link,
    production_home_uri: link,
    domain_allow_list: z
      .array(z.strictObject({ domain: z.string().min(1), explanation: z.string().min(1) }))
      .min(1),
    in_client_feature: z.strictObject({
      zoom_app_api: z.strictObject({
        enable: z.boolean(),
        zoom_app_apis: z.array(z.string().min(1)),
      }),
      guest_mode: z.strictObject({ enable: z.boolean(), enable_test_guest_mode: z.boolean() }),
      in_client_oauth: z.strictObject({ enable: z.boolean() }),
      collaborate_mode: z.strictObject({
        enable: z.boolean(),
        enable_screen_sharing: z.boolean(),
        enable_play_together: z.boolean(),
      }),
    }),
    event_subscription: z.strictObject({
      enable: z.boolean(),
      events: z
        .array(
          z.strictObject({
            subscription_name: z.string().min(1),
            event_types: z.array(z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/)).min(1),
            development_webhook_url: link,
            production_webhook_url: link,
          }),
        )
        .max(20),
    }),
  }),
});

/** The Apps SDK's API and event names, from @zoom/appssdk's own typings (its `Apis` type). */
function appsSdkApis(): Set<string> | undefined {
  try {
    const require = createRequire(import.meta.url);
    const typings = path.join(path.dirname(require.resolve('@zoom/appssdk')), 'sdk.d.ts');
    const declaration = /declare type Apis = ([^;]+);/.exec(readFileSync(typings, 'utf8'))?.[1];
    return declaration
      ? new Set([...declaration.matchAll(/'([A-Za-z]+)'/g)].map((m) => m[1]!))
      : undefined;
  } catch {
    return undefined;
  }
}

export function validateZoomManifest(manifest: unknown): string[] {
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    return parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'manifest'}: ${issue.message}`,
    );
  }
  const m = parsed.data;
  const problems: string[] = [];
  const allowed = m.features.domain_allow_list.map((d) => d.domain);
  const urls = {
    'features.production_home_uri': m.features.production_home_uri,
    'features.development_home_uri': m.features.development_home_uri,
    ...Object.fromEntries(
      m.features.event_subscription.events.map((e, i) => [
        `features.event_subscription.events.${i}.production_webhook_url`,
        e.production_webhook_url,
      ]),
    ),
  };
  for (const [where, url] of Object.entries(urls)) {
    if (!allowed.includes(new URL(url).host))
      problems.push(`${where}: ${url} is not under an allow-listed domain`);
  }
  if (!m.oauth_information.oauth_allow_list.includes(m.oauth_information.production_redirect_uri)) {
    problems.push('oauth_information.oauth_allow_list: must include the redirect URI');
  }
  const scopes = m.oauth_information.scopes.map((s) => s.scope);
  if (new Set(scopes).size !== scopes.length)
    problems.push('oauth_information.scopes: a scope is listed twice');
  const known = appsSdkApis();
  if (!known) problems.push('@zoom/appssdk typings not found: Apps SDK API names were not checked');
  for (const api of m.features.in_client_feature.zoom_app_api.zoom_app_apis) {
    if (known && !known.has(api))
      problems.push(
        `features.in_client_feature.zoom_app_api.zoom_app_apis: ${api} is not an Apps SDK API`,
      );
  }
  if (
    m.features.in_client_feature.zoom_app_api.zoom_app_apis.includes('authorize') &&
    !m.features.in_client_feature.in_client_oauth.enable
  ) {
    problems.push(
      'features.in_client_feature.in_client_oauth: authorize needs in-client OAuth enabled',
    );
  }
  return problems;
}

export const zoomManifestModule: ManifestModule = {
  platform: 'zoom',
  async generate(baseUrl) {
    return [
      { path: MANIFEST_PATH, content: `${JSON.stringify(zoomManifest(baseUrl), null, 2)}\n` },
    ];
  },
  async validate(files: ManifestFile[]) {
    const file = files.find((f) => f.path === MANIFEST_PATH);
    if (!file) return [`${MANIFEST_PATH}: missing`];
    let json: unknown;
    try {
      json = JSON.parse(
        typeof file.content === 'string'
          ? file.content
          : Buffer.from(file.content).toString('utf8'),
      );
    } catch {
      return [`${MANIFEST_PATH}: not JSON`];
    }
    return validateZoomManifest(json).map((p) => `${MANIFEST_PATH}: ${p}`);
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [baseUrl] = process.argv.slice(2);
  if (!baseUrl) {
    process.stderr.write('usage: node manifests/zoom/manifest.ts <QUORUM_BASE_URL>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(zoomManifest(baseUrl), null, 2)}\n`);
}
