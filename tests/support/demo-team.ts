// The demo organization's four people in four zones (Berlin, Kolkata, New York, Sydney; their
// hours as `quorum demo` sets them), signed up through the real server: Ana the admin and her
// three colleagues, each signed in from a browser of their own with their settings saved.
// `firstIp` is the first colleague's address: each file gives its own range so sign-in limits
// per address never interfere.
import { expect } from 'vitest';
import { DEMO_PEOPLE } from '../../infra/cli/demo-data.ts';
import { Browser, type TestQuorum } from './quorum-app.ts';

const PASSWORD = 'copper-meadow-signal-58';

/** "Raj Patel" -> "raj", the key of the returned map; emails are `<first>@acme.example`. */
export const firstNameOf = (name: string) => name.split(' ')[0]!.toLowerCase();
export const demoEmailOf = (first: string) => `${first}@acme.example`;

export async function signUpDemoTeam(
  app: TestQuorum,
  firstIp: number,
): Promise<Map<string, Browser>> {
  const [admin, ...members] = DEMO_PEOPLE;
  const ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: {
      organization: 'Acme',
      name: admin!.name,
      email: demoEmailOf(firstNameOf(admin!.name)),
      password: PASSWORD,
    },
  });
  expect(signup.status).toBe(201);
  const browsers = new Map([[firstNameOf(admin!.name), ana]]);
  let ip = firstIp;
  for (const person of members) {
    const email = demoEmailOf(firstNameOf(person.name));
    const added = await ana.request('/api/admin/people', {
      method: 'POST',
      json: { name: person.name, email, password: PASSWORD },
    });
    expect(added.status).toBe(201);
    const browser = new Browser(app.url);
    const signin = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': `192.0.2.${ip++}` },
      json: { email, password: PASSWORD },
    });
    expect(signin.status).toBe(200);
    browsers.set(firstNameOf(person.name), browser);
  }
  for (const person of DEMO_PEOPLE) {
    const saved = await browsers.get(firstNameOf(person.name))!.request('/api/me/settings', {
      method: 'PUT',
      json: person.settings,
    });
    expect(saved.status).toBe(200);
  }
  return browsers;
}
