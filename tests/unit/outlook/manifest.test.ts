// The Outlook manifests, generated from a base URL and validated offline: the XML add-in
// manifest through office-addin-manifest's parser plus the MailApp rules, the unified JSON
// manifest against the Teams schema bundled in @microsoft/app-manifest. Each check is also
// shown to fail on a manifest that breaks it.
import { describe, expect, it } from 'vitest';
import {
  ATTENDEES_CHANGED_HANDLER,
  addinId,
  createOutlookManifestModule,
  outlookManifestModule,
  outlookUnifiedManifest,
  outlookXmlManifest,
} from '../../../manifests/outlook/manifest.ts';
import {
  pngSize,
  validateUnifiedManifest,
  validateXmlManifest,
} from '../../../manifests/outlook/validate.ts';
import type { ManifestFile } from '../../../manifests/types.ts';

const BASE = 'https://quorum.example.com';
const CLIENT = '11111111-2222-3333-4444-555555555555';

function content(files: ManifestFile[], path: string): string {
  const file = files.find((f) => f.path === path)!;
  return typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString();
}

describe('outlookManifestModule', () => {
  it('is the outlook platform and makes valid XML and unified manifests with their icons', async () => {
    expect(outlookManifestModule.platform).toBe('outlook');
    const module = createOutlookManifestModule({ microsoftClientId: CLIENT });
    const files = await module.generate(BASE);
    expect(files.map((f) => f.path).sort()).toEqual([
      'outlook/manifest.xml',
      'outlook/quorum-outlook.zip',
      'outlook/unified/color.png',
      'outlook/unified/manifest.json',
      'outlook/unified/outline.png',
    ]);
    expect(await module.validate(files)).toEqual([]);
    const zip = Buffer.from(files.find((f) => f.path.endsWith('.zip'))!.content as Uint8Array);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    for (const name of ['manifest.json', 'color.png', 'outline.png'])
      expect(zip.includes(Buffer.from(name))).toBe(true);
  });

  it('points every URL at the base URL, with one stable id per deployment', async () => {
    const xml = outlookXmlManifest(BASE, { microsoftClientId: CLIENT });
    expect(xml).toContain(`<SourceLocation DefaultValue="${BASE}/outlook/taskpane"/>`);
    expect(xml).toContain(`<bt:Url id="Commands.Url" DefaultValue="${BASE}/outlook/commands"/>`);
    expect(xml).toContain(`<bt:String id="Schedule.Label" DefaultValue="Schedule with Quorum"/>`);
    expect(xml).toContain('xsi:type="AppointmentOrganizerCommandSurface"');
    expect(xml).toContain('xsi:type="AppointmentAttendeeCommandSurface"');
    expect(xml).toContain('xsi:type="MessageComposeCommandSurface"');
    expect(xml).toContain(
      `<LaunchEvent Type="OnAppointmentAttendeesChanged" FunctionName="${ATTENDEES_CHANGED_HANDLER}"/>`,
    );
    expect(xml).toContain(`<Resource>api://quorum.example.com/${CLIENT}</Resource>`);
    for (const size of [16, 32, 80, 64, 128])
      expect(xml).toContain(`${BASE}/outlook/icons/color-${size}.png`);
    const urls = [...xml.matchAll(/"(https?:\/\/[^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((u) => !u.includes('schemas.microsoft.com') && !u.includes('www.w3.org'));
    expect(urls.every((u) => u.startsWith(`${BASE}/`))).toBe(true);
    expect(addinId(BASE)).toBe(addinId(BASE));
    expect(addinId(BASE)).not.toBe(addinId('https://other.example.com'));
    const unified = outlookUnifiedManifest(BASE);
    expect(unified.id).toBe(addinId(BASE));
    expect(unified.extensions[0]!.autoRunEvents[0]!.events[0]!.actionId).toBe(
      ATTENDEES_CHANGED_HANDLER,
    );
    expect(JSON.stringify(unified)).not.toContain('webApplicationInfo');
  });

  it('refuses a base URL Outlook would not load', async () => {
    expect(() => outlookXmlManifest('http://quorum.example.com')).toThrow(/https/);
    await expect(outlookManifestModule.generate('http://10.0.0.1')).rejects.toThrow(/https/);
  });
});

describe('XML validation', () => {
  const good = outlookXmlManifest(BASE);

  it('passes the generated manifest', async () => {
    expect(await validateXmlManifest(good)).toEqual([]);
  });

  it('finds malformed XML, wrong order, undefined resids, foreign URLs and bad events', async () => {
    expect((await validateXmlManifest(good.replace('</OfficeApp>', '')))[0]).toMatch(
      /does not parse/,
    );
    const swapped = good.replace(
      /( {2}<Permissions>ReadWriteItem<\/Permissions>\n)([\s\S]*?<\/Rule>\n)/,
      '$2$1',
    );
    expect(await validateXmlManifest(swapped)).toContain('Permissions must come before Rule');
    expect(
      await validateXmlManifest(
        good.replace('<Label resid="Schedule.Label"/>', '<Label resid="Nope"/>'),
      ),
    ).toContain('VersionOverrides 1.0: resid "Nope" is not defined in Resources');
    expect(
      await validateXmlManifest(
        good.replace(`${BASE}/outlook/taskpane"/>`, 'https://elsewhere.example/pane"/>'),
      ),
    ).toContain('https://elsewhere.example/pane is outside AppDomains');
    expect(
      await validateXmlManifest(good.replace('OnAppointmentAttendeesChanged', 'OnWhatever')),
    ).toContain('VersionOverrides 1.1: OnWhatever is not a launch event');
    expect(await validateXmlManifest(good.replaceAll('/color-80.png', '/color-64.png'))).toContain(
      'VersionOverrides 1.0: icon color-64.png is not 80×80',
    );
    expect(await validateXmlManifest(good.replace(/<Id>[^<]+<\/Id>/, '<Id>quorum</Id>'))).toContain(
      'Id must be a GUID, not "quorum"',
    );
  });
});

describe('unified manifest validation (bundled Teams schema)', () => {
  it('passes the generated manifest and names what breaks the schema', async () => {
    const manifest = outlookUnifiedManifest(BASE, { microsoftClientId: CLIENT });
    expect(await validateUnifiedManifest(manifest)).toEqual([]);
    const broken = structuredClone(manifest) as unknown as {
      extensions: Array<{ ribbons: Array<{ contexts: string[] }> }>;
      accentColor?: string;
    };
    broken.extensions[0]!.ribbons[0]!.contexts = ['everywhere'];
    delete broken.accentColor;
    const problems = (await validateUnifiedManifest(broken)).join('\n');
    expect(problems).toMatch(/accentColor/);
    expect(problems).toMatch(/contexts/);
  });

  it('ships icons of the sizes the package needs', async () => {
    const files = await outlookManifestModule.generate(BASE);
    const png = (p: string) => pngSize(files.find((f) => f.path === p)!.content as Uint8Array);
    expect(png('outlook/unified/color.png')).toEqual({ width: 192, height: 192 });
    expect(png('outlook/unified/outline.png')).toEqual({ width: 32, height: 32 });
    const wrong = files.map((f) =>
      f.path === 'outlook/unified/color.png'
        ? { ...f, content: files.find((g) => g.path === 'outlook/unified/outline.png')!.content }
        : f,
    );
    expect(await outlookManifestModule.validate(wrong)).toEqual([
      'outlook/unified/color.png must be a 192×192 PNG',
    ]);
    expect(JSON.parse(content(files, 'outlook/unified/manifest.json')).icons).toEqual({
      outline: 'outline.png',
      color: 'color.png',
    });
  });
});
