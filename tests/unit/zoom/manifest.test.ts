// The Zoom app manifest lists what the code uses: the panel's home URL and domain, in-client
// OAuth's redirect, the Apps SDK APIs the panel calls (read from the panel's code), the REST
// paths' scopes (read from the REST client) and the events the webhook handler switches on.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PANEL_APIS, REST_SCOPES, SUBSCRIBED_EVENTS } from '../../../addins/zoom/app-definition.ts';
import {
  validateZoomManifest,
  zoomManifest,
  zoomManifestModule,
} from '../../../manifests/zoom/manifest.ts';

const ZOOM = path.resolve(import.meta.dirname, '../../../addins/zoom');
const read = (file: string) => readFileSync(path.join(ZOOM, file), 'utf8');

describe('the Zoom app manifest', () => {
  it('is generated from the base URL and passes validation', async () => {
    const files = await zoomManifestModule.generate('https://quorum.example.com/');
    expect(files.map((f) => f.path)).toEqual(['zoom/manifest.json']);
    expect(await zoomManifestModule.validate(files)).toEqual([]);
    const m = JSON.parse(String(files[0]!.content));
    expect(m.features.production_home_uri).toBe('https://quorum.example.com/zoom/panel');
    expect(m.features.domain_allow_list.map((d: { domain: string }) => d.domain)).toEqual([
      'quorum.example.com',
    ]);
    expect(m.oauth_information.production_redirect_uri).toBe(
      'https://quorum.example.com/zoom/oauth/callback',
    );
    expect(m.features.in_client_feature.in_client_oauth.enable).toBe(true);
    expect(m.features.event_subscription.events[0].production_webhook_url).toBe(
      'https://quorum.example.com/zoom/webhooks',
    );
  });

  it('asks for exactly the Apps SDK APIs the panel calls', () => {
    const panel = readdirSync(path.join(ZOOM, 'panel')).filter((f) => /\.tsx?$/.test(f));
    const called = new Set<string>();
    for (const file of panel) {
      for (const match of read(`panel/${file}`).matchAll(/\bsdk\s*\.\s*([a-zA-Z]+)\s*\(/g))
        called.add(match[1]!);
    }
    // config() is how they are asked for, not one of them.
    called.delete('config');
    expect([...called].sort()).toEqual([...PANEL_APIS].sort());
    expect(
      zoomManifest('https://q.example').features.in_client_feature.zoom_app_api.zoom_app_apis,
    ).toEqual([...PANEL_APIS]);
  });

  it('subscribes to exactly the events the webhook handler handles', () => {
    const handled = [...read('listeners/events.ts').matchAll(/case '([a-z_.]+)':/g)].map(
      (m) => m[1],
    );
    expect(handled.sort()).toEqual([...SUBSCRIBED_EVENTS].sort());
    expect(
      zoomManifest('https://q.example').features.event_subscription.events[0]!.event_types,
    ).toEqual([...SUBSCRIBED_EVENTS]);
  });

  it('has a scope for each REST path the client calls', () => {
    const paths = [
      ...read('zoom-api.ts').matchAll(/new URL\('([a-z/]+)', (?:this\.)?settings\.apiUrl\)/g),
    ].map((m) => m[1]);
    expect(paths.sort()).toEqual(
      Object.keys(REST_SCOPES)
        .map((k) => k.split(' /')[1])
        .sort(),
    );
    const scopes = zoomManifest('https://q.example').oauth_information.scopes.map((s) => s.scope);
    for (const needed of Object.values(REST_SCOPES).flat()) expect(scopes).toContain(needed);
  });

  it('finds what is wrong with a broken manifest', () => {
    const m = zoomManifest('https://quorum.example.com');
    m.features.domain_allow_list = [{ domain: 'elsewhere.example', explanation: 'x' }];
    (m.features.in_client_feature.zoom_app_api.zoom_app_apis as string[]).push('getEverything');
    const problems = validateZoomManifest(m);
    expect(problems).toContain(
      'features.production_home_uri: https://quorum.example.com/zoom/panel is not under an allow-listed domain',
    );
    expect(problems).toContain(
      'features.in_client_feature.zoom_app_api.zoom_app_apis: getEverything is not an Apps SDK API',
    );
    expect(validateZoomManifest({ display_information: {} })[0]).toMatch(
      /^display_information\.display_name: /,
    );
    expect(() => zoomManifest('http://quorum.example.com')).toThrow(/only https/);
  });
});
