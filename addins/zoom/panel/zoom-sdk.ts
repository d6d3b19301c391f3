// The Zoom Apps SDK, and whether this page runs in Zoom at all.
//
// In the Zoom client the SDK talks to the client through the webview's native bridge; the
// `zoomSdk` global (Zoom's script-tag build, or a stand-in in tests) takes precedence over the
// npm module. In a plain browser there is neither, and the panel says so.
import type ZoomSdkInstance from '@zoom/appssdk';
import { PANEL_APIS } from '../app-definition.ts';

export type ZoomSdk = typeof ZoomSdkInstance;

/** Exactly the APIs and events the panel uses; zoomSdk.config() asks for these. */
export const CAPABILITIES = PANEL_APIS;

interface ZoomWindow {
  zoomSdk?: ZoomSdk;
  chrome?: { webview?: unknown };
  webkit?: { messageHandlers?: { jsOCHelper?: unknown } };
  android?: unknown;
}

/** True when a Zoom client hosts this page (desktop webviews, mobile, or the web client's frame). */
function hostedByZoom(): boolean {
  const w = window as unknown as ZoomWindow;
  if (w.chrome?.webview || w.webkit?.messageHandlers?.jsOCHelper || w.android) return true;
  if (/ZoomApps|ZoomWebKit/i.test(navigator.userAgent)) return true;
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  return Array.from(ancestors ?? []).some((origin) =>
    /(^|\.)zoom\.us$/.test(new URL(origin).hostname),
  );
}

export async function findZoomSdk(): Promise<ZoomSdk | undefined> {
  const injected = (window as unknown as ZoomWindow).zoomSdk;
  if (injected) return injected;
  if (!hostedByZoom()) return undefined;
  return (await import('@zoom/appssdk')).default;
}
