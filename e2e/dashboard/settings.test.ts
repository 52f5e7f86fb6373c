import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../support/chromium.ts';
import { signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

const WAIT = { timeout: 20_000 };

/**
 * The settings page in real Chromium against a real server with demo data: an analyst sees the
 * settings and gets the server's refusal in words for every change; an admin (created through
 * the admin API) changes the project, keys, users, tokens, privacy and SDK configuration,
 * retention and imports, and each change is checked through the HTTP API.
 */
describe('dashboard settings in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  const admin = { email: 'settings-admin@example.com', password: 'settings admin password 1' };
  /** One admin session shared by the admin tests (the login rate limit allows few sign-ins). */
  let adminSession: { context: BrowserContext; page: Page; problems: string[] };

  async function api(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    options: { payload?: object; token?: string | null; headers?: Record<string, string> } = {},
  ) {
    const token = options.token === undefined ? server.t.adminToken : options.token;
    return server.t.app.fastify.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  }
  const demoProject = async () =>
    (await api('GET', '/api/v1/projects/demo')).json<{
      timeZone: string;
      retentionDays: number;
      name: string;
      dntMode: string;
      fieldDenylist: string[];
    }>();
  const sdkConfigStatus = async (key: string) =>
    (await api('GET', `/api/v1/sdk-config?key=${encodeURIComponent(key)}`, { token: null }))
      .statusCode;

  beforeAll(async () => {
    server = await startDemoServer();
    const created = await api('POST', '/api/v1/users', {
      payload: { ...admin, role: 'admin', name: 'Settings Admin' },
    });
    if (created.statusCode !== 201) throw new Error(`creating the admin: ${created.body}`);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await adminSession?.context.close();
    await browser?.close();
    await server?.close();
  });

  async function openAsAdmin(): Promise<{ page: Page; problems: string[] }> {
    if (!adminSession) {
      adminSession = await signIn(browser, { ...server, ...admin }, { path: '/p/demo/settings' });
      await adminSession.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: server.base,
      });
    }
    return adminSession;
  }
  async function openTab(page: Page, tab: string): Promise<void> {
    await page.click(`[data-testid=tab-${tab}]`);
    await page.waitForURL((url) => url.hash === `#${tab}`);
  }
  const clipboard = (page: Page) =>
    page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );

  it("shows the analyst the settings and the server's refusal in words for every change", async () => {
    const { context, page, problems } = await signIn(browser, server, {
      path: '/p/demo/settings',
    });
    const project = await demoProject();
    await page.locator('[data-testid=project-form]').waitFor();
    expect(await page.inputValue('[data-testid=project-name]')).toBe(project.name);
    expect(await page.inputValue('[data-testid=project-retention]')).toBe(
      String(project.retentionDays),
    );
    expect(await page.inputValue('[data-testid=project-form] [data-testid=tz-select]')).toBe(
      project.timeZone,
    );
    expect(await page.locator('[data-testid=readonly-note]').innerText()).toContain(
      'projects:manage',
    );

    // Changing the time zone: the server refuses, and the page says so in words.
    const form = page.locator('[data-testid=project-form]');
    await form.locator('[data-testid=tz-search]').fill('Tokyo');
    await form.locator('[data-testid=tz-select]').selectOption('Asia/Tokyo');
    await page.click('[data-testid=project-save]');
    const refusal = page.locator('[data-testid=project-error]');
    await refusal.waitFor(WAIT);
    expect(await refusal.innerText()).toContain(
      'The server refused this: it needs the projects:manage permission, which your role (Analyst) does not have.',
    );
    expect(await refusal.innerText()).toContain('ERR_AUTH_FORBIDDEN');
    expect((await demoProject()).timeZone).toBe(project.timeZone);

    await openTab(page, 'keys');
    const keys = page.locator('[data-testid=keys-refused]');
    await keys.waitFor(WAIT);
    expect(await keys.innerText()).toContain('keys:read');
    expect(await keys.innerText()).toContain('ERR_AUTH_FORBIDDEN');

    await openTab(page, 'users');
    const users = page.locator('[data-testid=users-refused]');
    await users.waitFor(WAIT);
    expect(await users.innerText()).toContain('Users and roles are for admins only');
    expect(await users.innerText()).toContain('Missing permission users:manage');
    expect(await users.innerText()).toContain('ERR_AUTH_FORBIDDEN');
    expect(await page.locator('[data-testid=tokens-refused]').innerText()).toContain(
      'ERR_AUTH_FORBIDDEN',
    );
    expect(await page.locator('[data-testid=new-user-form]').count()).toBe(0);

    await openTab(page, 'privacy');
    await page.click('[data-testid=sdk-save]');
    await expect
      .poll(() => page.locator('[data-testid=sdk-error]').innerText(), WAIT)
      .toContain('ERR_AUTH_FORBIDDEN');

    await openTab(page, 'retention');
    await page.click('[data-testid=retention-run-button]');
    const dialog = page.locator('[data-testid=confirm-dialog]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('What stops working');
    await page.click('[data-testid=confirm-ok]');
    await expect
      .poll(() => page.locator('[data-testid=retention-error]').innerText(), WAIT)
      .toContain('retention:run');

    await openTab(page, 'import');
    const file = join(mkdtempSync(join(tmpdir(), 'sl-settings-')), 'products.csv');
    writeFileSync(file, 'product_id,name,price\np1,Tea,3300\n');
    await page.selectOption('[data-testid=import-kind]', 'products');
    await page.setInputFiles('[data-testid=import-file]', file);
    await page.click('[data-testid=import-start]');
    await expect
      .poll(() => page.locator('[data-testid=import-error]').innerText(), WAIT)
      .toContain('data:import');
    expect(await page.locator('[data-testid=import-error]').innerText()).toContain(
      'ERR_AUTH_FORBIDDEN',
    );

    // The tab is in the URL: a reload opens it again.
    await page.reload();
    await page.locator('[data-testid=import-form]').waitFor();
    expect(await page.getAttribute('[data-testid=tab-import]', 'aria-selected')).toBe('true');
    // The browser logs the refused requests themselves; nothing else went wrong.
    expect(problems.filter((text) => !text.includes('status of 403'))).toEqual([]);
    await context.close();
  });

  it('lets an admin change the time zone and retention, with validation in words', async () => {
    const { page, problems } = await openAsAdmin();
    await openTab(page, 'project');
    await page.locator('[data-testid=project-form]').waitFor();

    // Out of range: said in words, nothing sent.
    await page.fill('[data-testid=project-retention]', '0');
    await page.click('[data-testid=project-save]');
    expect(await page.locator('[data-testid=retention-invalid]').innerText()).toBe(
      'Enter a whole number of days from 1 to 3,650.',
    );
    expect((await demoProject()).retentionDays).toBe(180);

    await page.fill('[data-testid=project-retention]', '90');
    const form = page.locator('[data-testid=project-form]');
    await form.locator('[data-testid=tz-search]').fill('kolkata');
    // The search narrows the list to the match (its old name Asia/Calcutta too, and the zone
    // chosen so far).
    await expect
      .poll(() => form.locator('[data-testid=tz-select] option').allInnerTexts())
      .toContain('Asia/Kolkata — UTC+05:30');
    expect(await form.locator('[data-testid=tz-select] option').count()).toBeLessThanOrEqual(3);
    await form.locator('[data-testid=tz-select]').selectOption('Asia/Kolkata');
    await page.click('[data-testid=project-save]');
    await page.locator('[data-testid=project-saved]').waitFor(WAIT);
    const project = await demoProject();
    expect(project.timeZone).toBe('Asia/Kolkata');
    expect(project.retentionDays).toBe(90);
    const listed = (await api('GET', '/api/v1/projects')).json<{
      projects: Array<{ id: string; timeZone: string }>;
    }>();
    expect(listed.projects.find((p) => p.id === 'demo')?.timeZone).toBe('Asia/Kolkata');

    await page.reload();
    await page.locator('[data-testid=project-form]').waitFor();
    expect(await form.locator('[data-testid=tz-select]').inputValue()).toBe('Asia/Kolkata');
    expect(await page.inputValue('[data-testid=project-retention]')).toBe('90');
    await screenshot(page, 'dashboard/settings-en');
    expect(problems).toEqual([]);
  });

  it('creates a project whose keys are shown once, copyable, and work', async () => {
    const { page, problems } = await openAsAdmin();
    await openTab(page, 'project');
    const form = page.locator('[data-testid=new-project-form]');
    await form.locator('[data-testid=new-project-name]').fill('Shop EU');
    await form.locator('[data-testid=new-project-id]').fill('Shop EU!');
    await form.locator('[data-testid=new-project-create]').click();
    expect(await form.locator('[data-testid=new-project-id-invalid]').innerText()).toContain(
      'lower-case letters',
    );
    await form.locator('[data-testid=new-project-id]').fill('shop-eu');
    await form.locator('[data-testid=new-project-create]').click();
    const created = form.locator('[data-testid=new-project-created]');
    await created.waitFor(WAIT);
    const writeKey = await created.locator('[data-testid=new-project-write-key]').inputValue();
    const secretKey = await created.locator('[data-testid=new-project-secret-key]').inputValue();
    expect(writeKey).toMatch(/^wk_/);
    expect(secretKey).toMatch(/^sk_/);
    expect(await created.innerText()).toContain('Shown only this once');

    await created.locator('[data-testid=copy]').first().click();
    await expect.poll(() => clipboard(page)).toBe(writeKey);
    expect(await created.innerText()).toContain('Copied');
    // The key is the project's: the SDK configuration answers to it.
    expect(await sdkConfigStatus(writeKey)).toBe(200);
    const keys = (await api('GET', '/api/v1/projects/shop-eu/keys')).json<{
      keys: Array<{ kind: string; display: string }>;
    }>();
    expect(keys.keys.find((key) => key.kind === 'write')?.display).toBe(writeKey);
    expect(
      secretKey.startsWith(keys.keys.find((key) => key.kind === 'secret')!.display.slice(0, 10)),
    ).toBe(true);
    // The project switcher knows it at once.
    expect(await page.locator('[data-testid=project] option[value=shop-eu]').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('lists the keys as the API gives them and rotates one behind a confirmation', async () => {
    const { page, problems } = await openAsAdmin();
    await openTab(page, 'keys');
    const rows = page.locator('[data-testid=key-row]');
    await rows.first().waitFor(WAIT);
    const listed = (await api('GET', '/api/v1/projects/demo/keys')).json<{
      keys: Array<{ kind: string; display: string }>;
    }>();
    expect(await rows.count()).toBe(listed.keys.length);
    expect(await rows.locator('[data-testid=key-display]').allInnerTexts()).toEqual(
      listed.keys.map((key) => key.display),
    );
    expect(listed.keys.find((key) => key.kind === 'write')?.display).toBe(server.writeKey);

    const writeRow = page.locator('[data-testid=key-row][data-kind=write]');
    await writeRow.locator('[data-testid=copy]').click();
    await expect.poll(() => clipboard(page)).toBe(server.writeKey);

    // Rotate with no grace: the confirmation names the key that stops working, and when.
    const rotate = page.locator('[data-testid=rotate-write]');
    await rotate.locator('[data-testid=grace-hours]').fill('0');
    await rotate.locator('[data-testid=rotate]').click();
    const dialog = page.locator('[data-testid=confirm-dialog]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(server.writeKey);
    expect(await dialog.innerText()).toContain('is refused immediately');
    // Cancel changes nothing.
    await page.click('[data-testid=confirm-cancel]');
    expect(await sdkConfigStatus(server.writeKey)).toBe(200);

    await rotate.locator('[data-testid=rotate]').click();
    await page.click('[data-testid=confirm-ok]');
    const fresh = page.locator('[data-testid=rotated-key]');
    await fresh.waitFor(WAIT);
    const newKey = await fresh.inputValue();
    expect(newKey).toMatch(/^wk_/);
    await expect.poll(() => sdkConfigStatus(server.writeKey), WAIT).toBe(401);
    expect(await sdkConfigStatus(newKey)).toBe(200);
    await expect
      .poll(() => rows.locator('[data-testid=key-display]').allInnerTexts(), WAIT)
      .toContain(newKey);
    server.writeKey = newKey;
    await screenshot(page, 'dashboard/settings-keys-en');
    expect(problems).toEqual([]);
  });

  it('creates a user who can sign in with the generated password, and scopes their rows', async () => {
    const { page, problems } = await openAsAdmin();
    await openTab(page, 'users');
    const form = page.locator('[data-testid=new-user-form]');
    await form.waitFor(WAIT);
    await form.locator('[data-testid=new-user-email]').fill('not an email');
    await form.locator('[data-testid=new-user-create]').click();
    expect(await form.locator('[data-testid=new-user-email-invalid]').innerText()).toBe(
      'Enter a valid email address.',
    );
    const email = 'new-viewer@example.com';
    await form.locator('[data-testid=new-user-email]').fill(email);
    await form.locator('[data-testid=new-user-name]').fill('New Viewer');
    await form.locator('[data-testid=new-user-role]').selectOption('viewer');
    await form.locator('[data-project=demo] [data-testid=access-project]').check();
    await form.locator('[data-testid=new-user-create]').click();
    const password = await form
      .locator('[data-testid=new-user-password-once]')
      .inputValue({ timeout: 20_000 });
    expect(password.length).toBeGreaterThanOrEqual(10);

    // They can log in with it.
    const login = await api('POST', '/api/v1/auth/login', {
      token: null,
      payload: { email, password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.projectIds).toEqual(['demo']);

    // Their row in the list, then a row-level scope on demo.
    const row = page.locator(`[data-testid=user-row][data-email="${email}"]`);
    await row.waitFor(WAIT);
    expect(await row.locator('[data-testid=user-role]').innerText()).toBe('Viewer');
    expect(await row.locator('[data-testid=user-access]').innerText()).toContain('every row');
    await row.locator('[data-testid=user-edit]').click();
    const access = page.locator('[data-testid=access-form]');
    await access.locator('[data-scope=demo] [data-testid=scope-add]').click();
    await access.locator('[data-testid=scope-dimension]').selectOption('channel');
    await access.locator('[data-testid=scope-op]').selectOption('in');
    await access.locator('[data-testid=scope-value]').fill('wechat, douyin');
    await access.locator('[data-testid=access-save]').click();
    await page.locator('[data-testid=access-saved]').waitFor(WAIT);
    const users = (await api('GET', '/api/v1/users')).json<{
      users: Array<{ email: string; rowScopes: Record<string, unknown> }>;
    }>();
    expect(users.users.find((user) => user.email === email)?.rowScopes).toEqual({
      demo: [{ dimension: 'channel', op: 'in', value: ['wechat', 'douyin'] }],
    });
    await expect
      .poll(() => row.locator('[data-testid=user-access]').innerText(), WAIT)
      .toContain('Channel is one of wechat, douyin');
    // The admin list shows every user the API lists.
    expect(await page.locator('[data-testid=user-row]').count()).toBe(users.users.length);
    await screenshot(page, 'dashboard/settings-users-en');
    expect(problems).toEqual([]);
  });

  it('creates an API token shown once, and revokes it behind a confirmation', async () => {
    const { page, problems } = await openAsAdmin();
    await openTab(page, 'users');
    const form = page.locator('[data-testid=new-token-form]');
    await form.waitFor(WAIT);
    await form.locator('[data-testid=new-token-name]').fill('nightly export');
    await form.locator('[data-testid=new-token-role]').selectOption('analyst');
    await form.locator('[data-testid=new-token-days]').fill('30');
    await form.locator('[data-testid=new-token-create]').click();
    const token = await form
      .locator('[data-testid=new-token-value]')
      .inputValue({ timeout: 20_000 });
    expect(token).toMatch(/^slt_/);
    const me = await api('GET', '/api/v1/auth/me', { token });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'token', role: 'analyst', projects: ['demo'] });

    const row = page.locator('[data-testid=token-row]', { hasText: 'nightly export' });
    await row.waitFor(WAIT);
    await row.locator('[data-testid=token-revoke]').click();
    const dialog = page.locator('[data-testid=confirm-dialog]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('ERR_AUTH_TOKEN_INVALID');
    await page.click('[data-testid=confirm-ok]');
    await page.locator('[data-testid=token-revoked]').waitFor(WAIT);
    expect((await api('GET', '/api/v1/auth/me', { token })).statusCode).toBe(401);
    await expect.poll(() => row.count(), WAIT).toBe(0);
    expect(problems).toEqual([]);
  });

  it('changes privacy and the SDK remote configuration, which the SDK endpoint then serves', async () => {
    const { page, problems } = await openAsAdmin();
    await openTab(page, 'privacy');
    const sdk = page.locator('[data-testid=sdk-form]');
    await sdk.waitFor(WAIT);
    // A required field cannot be disabled: said in words, nothing sent.
    await sdk.locator('[data-testid=sdk-disabled]').fill('ts');
    await sdk.locator('[data-testid=sdk-save]').click();
    expect(await sdk.locator('[data-testid=sdk-disabled-invalid]').innerText()).toContain(
      'cannot be disabled',
    );

    await sdk.locator('[data-testid=sdk-disabled]').fill('phone\nreferrer');
    await sdk.locator('[data-testid=sdk-consumer]').fill('10');
    await sdk.locator('[data-testid=sdk-business]').fill('2.5');
    await sdk.locator('[data-testid=sdk-batch]').fill('50');
    await sdk.locator('[data-testid=sdk-allowlist-on]').check();
    await sdk.locator('[data-testid=sdk-allowlist]').fill('order_completed\nsignup');
    await sdk.locator('[data-testid=sdk-save]').click();
    await sdk.locator('[data-testid=sdk-saved]').waitFor(WAIT);
    const served = await api('GET', `/api/v1/sdk-config?key=${server.writeKey}`, { token: null });
    expect(served.json()).toEqual({
      enabled: true,
      telemetrySampleRate: { consumer: 0.1, business: 0.025 },
      disabledFields: ['phone', 'referrer'],
      eventAllowlist: ['order_completed', 'signup'],
      batchSize: 50,
    });
    expect(await page.locator('[data-testid=served-consumer]').innerText()).toBe('10%');

    // The kill switch asks first and names what stops.
    await sdk.locator('[data-testid=sdk-enabled]').uncheck();
    await sdk.locator('[data-testid=sdk-save]').click();
    const dialog = page.locator('[data-testid=confirm-dialog]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('What stops working');
    await page.click('[data-testid=confirm-ok]');
    await expect
      .poll(
        async () =>
          (await api('GET', `/api/v1/sdk-config?key=${server.writeKey}`, { token: null })).json()
            .enabled,
        WAIT,
      )
      .toBe(false);
    await expect
      .poll(() => page.locator('[data-testid=served-enabled]').innerText())
      .toBe('Off (kill switch)');

    // Privacy: Do-Not-Track anonymised, a field denylist.
    const privacy = page.locator('[data-testid=privacy-form]');
    await privacy.locator('[data-testid=dnt-anonymize]').check();
    await privacy.locator('[data-testid=denylist]').fill('id_card\nbuyer.address.street');
    await privacy.locator('[data-testid=privacy-save]').click();
    await privacy.locator('[data-testid=privacy-saved]').waitFor(WAIT);
    const project = await demoProject();
    expect(project.dntMode).toBe('anonymize');
    expect(project.fieldDenylist).toEqual(['id_card', 'buyer.address.street']);
    // Saving privacy kept the SDK form as saved.
    expect(await sdk.locator('[data-testid=sdk-enabled]').isChecked()).toBe(false);
    await screenshot(page, 'dashboard/settings-privacy-en');
    expect(problems).toEqual([]);
  });

  it("runs retention and deletes a user's data, each behind a confirmation", async () => {
    const { page, problems } = await openAsAdmin();
    // Collection back on, and an event of a user to delete.
    await api('PATCH', '/api/v1/projects/demo', { payload: { sdkConfig: { enabled: true } } });
    const userId = `u-settings-${randomUUID().slice(0, 8)}`;
    const sent = await api('POST', '/api/v1/batch', {
      token: null,
      headers: { 'x-sightline-key': server.writeKey },
      payload: {
        batch: [
          { event_id: randomUUID(), type: 'page', user_id: userId, page: '/a' },
          { event_id: randomUUID(), type: 'page', user_id: userId, page: '/b' },
        ],
      },
    });
    expect(sent.statusCode).toBe(200);

    await openTab(page, 'retention');
    expect(await page.locator('[data-testid=retention-policy]').innerText()).toContain(
      'kept for 90 days',
    );
    await page.click('[data-testid=retention-run-button]');
    const dialog = page.locator('[data-testid=confirm-dialog]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('older than 90 days');
    await page.click('[data-testid=confirm-ok]');
    const ran = page.locator('[data-testid=retention-result]');
    await ran.waitFor(WAIT);
    const audit = (await api('GET', '/api/v1/audit?action=retention.run&project=demo')).json<{
      entries: Array<{ details: { deletedEvents: number } }>;
    }>();
    const deletedEvents = audit.entries[0]?.details.deletedEvents ?? -1;
    expect(await ran.innerText()).toContain(
      `Deleted ${deletedEvents.toLocaleString('en')} raw events`,
    );

    await page.fill('[data-testid=deletion-user]', userId);
    await page.click('[data-testid=deletion-submit]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(userId);
    expect(await dialog.innerText()).toContain('What stops working');
    await page.click('[data-testid=confirm-ok]');
    const result = page.locator('[data-testid=deletion-result]');
    await result.waitFor(WAIT);
    const deletion = (await api('GET', '/api/v1/audit?action=user.data.delete&project=demo')).json<{
      entries: Array<{ target: string; details: { deletedEvents: number } }>;
    }>();
    expect(deletion.entries[0]?.target).toBe(userId);
    expect(deletion.entries[0]?.details.deletedEvents).toBe(2);
    expect(await result.locator('[data-testid=deleted-events]').innerText()).toBe(
      '2 events deleted',
    );
    await screenshot(page, 'dashboard/settings-retention-en');
    expect(problems).toEqual([]);
  });

  it('imports a CSV with a progress bar and lists the rejected rows', async () => {
    const { page, problems } = await openAsAdmin();
    await openTab(page, 'import');
    const dir = mkdtempSync(join(tmpdir(), 'sl-settings-'));
    const file = join(dir, 'orders.csv');
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      file,
      [
        'order_id,user_id,order_time,pay_amount,channel',
        `IMP-1,u-imp-1,${day},12900,wechat`,
        `IMP-2,u-imp-2,${day},19.99,wechat`,
        `IMP-3,u-imp-3,${day},4500,douyin`,
        `IMP-4,,not a time,100,`,
      ].join('\n') + '\n',
    );
    await page.selectOption('[data-testid=import-kind]', 'orders');
    await page.setInputFiles('[data-testid=import-file]', file);
    expect(
      await page.locator('[data-testid=import-format] option[value=auto]').innerText(),
    ).toContain('CSV');
    await page.click('[data-testid=import-start]');
    const result = page.locator('[data-testid=import-result]');
    await result.waitFor(WAIT);
    expect(await result.locator('[data-testid=rows-read]').innerText()).toBe('4');
    expect(await result.locator('[data-testid=rows-imported]').innerText()).toBe('2');
    expect(await result.locator('[data-testid=rows-rejected]').innerText()).toBe('2');
    const rejected = result.locator('[data-testid=data-table] tbody tr');
    expect(await rejected.count()).toBe(2);
    expect(await rejected.nth(0).innerText()).toContain('3');
    expect(await rejected.nth(0).innerText()).toContain('pay_amount');
    expect(await rejected.nth(1).innerText()).toContain('ERR_IMPORT_ROW_INVALID');
    // The server's audit entry holds the same counts.
    const audit = (await api('GET', '/api/v1/audit?action=data.import&project=demo')).json<{
      entries: Array<{ details: { rowsImported: number; rowsRejected: number } }>;
    }>();
    expect(audit.entries[0]?.details).toMatchObject({ rowsImported: 2, rowsRejected: 2 });

    await screenshot(page, 'dashboard/settings-import-en');

    // A larger file over a slow uplink: the progress bar follows the upload, then the report.
    const big = join(dir, 'catalogue.csv');
    const lines = ['product_id,name,price'];
    for (let i = 0; i < 20_000; i++)
      lines.push(`P${i},Product number ${i} of the catalogue,${1_000 + i}`);
    writeFileSync(big, lines.join('\n') + '\n');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    await page.selectOption('[data-testid=import-kind]', 'products');
    await page.setInputFiles('[data-testid=import-file]', big);
    await page.click('[data-testid=import-start]');
    const progress = page.locator('[data-testid=import-progress]');
    await expect
      .poll(() =>
        progress.locator('progress').evaluate((bar) => (bar as unknown as { value: number }).value),
      )
      .toBeGreaterThan(0);
    expect(await progress.innerText()).toMatch(/Uploading .* MB: \d+%/);
    await screenshot(page, 'dashboard/settings-import-progress-en');
    await expect
      .poll(() => result.locator('[data-testid=rows-read]').innerText(), WAIT)
      .toBe('20,000');
    expect(await result.locator('[data-testid=rows-imported]').innerText()).toBe('20,000');
    expect(await result.locator('[data-testid=rows-rejected]').innerText()).toBe('0');
    expect(await progress.count()).toBe(0);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();

    // A file whose format the name does not tell: said in words, nothing sent.
    const odd = join(dir, 'orders.data');
    writeFileSync(odd, 'x');
    await page.setInputFiles('[data-testid=import-file]', odd);
    await page.click('[data-testid=import-start]');
    expect(await page.locator('[data-testid=import-problem]').innerText()).toContain(
      'choose CSV or NDJSON',
    );
    expect(await page.locator('[data-testid=import-cli]').innerText()).toBe(
      'sightline import products <file> --project demo',
    );
    expect(problems).toEqual([]);
  });

  it('speaks Chinese', async () => {
    const { context, page, problems } = await signIn(
      browser,
      { ...server, ...admin },
      { locale: 'zh-CN', path: '/p/demo/settings' },
    );
    await page.locator('[data-testid=project-form]').waitFor();
    expect(await page.locator('[data-testid=nav-settings]').innerText()).toBe('设置');
    expect(await page.locator('[data-testid=tab-keys]').innerText()).toBe('密钥');
    expect(await page.locator('h1').innerText()).toBe('设置');
    // The tabs follow the arrow keys.
    await page.focus('[data-testid=tab-project]');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL((url) => url.hash === '#keys');
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(name: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute('data-testid'),
      ),
    ).toBe('tab-keys');
    expect(await page.locator('[data-testid=key-list] thead').innerText()).toContain('类型');
    await openTab(page, 'privacy');
    await page.locator('[data-testid=sdk-form]').waitFor(WAIT);
    expect(await page.locator('[data-testid=sdk-form] .box-title').innerText()).toBe(
      'SDK 远程配置',
    );
    await openTab(page, 'project');
    await page.locator('[data-testid=project-form]').waitFor();
    await screenshot(page, 'dashboard/settings-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});
