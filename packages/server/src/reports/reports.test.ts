import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../bootstrap/seed-demo.ts';
import { findDemoAnomaly } from '../demo/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { startTestReceiver, type TestReceiver } from '../testing/http-receiver.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../testing/smtp-receiver.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import type { ReportDocument } from './report-document.ts';

/*
 * Scheduled reports end to end on a small demo project: the schedule on a fake clock in the
 * project's zone, generation through the query layer, the XLSX read back, the email caught by a
 * real SMTP receiver, chat summaries caught by a real HTTP receiver, the archive over HTTP.
 */
const SECOND = 1_000;
// 07:55 on Saturday 2026-11-21 in Shanghai: the demo's "yesterday" is 2026-11-20.
const NOW = Date.parse('2026-11-20T23:55:00Z');
const YESTERDAY = '2026-11-20';
const HEADLINE = ['gmv', 'orders', 'aov', 'paying_users', 'refund_amount', 'dau', 'new_users'];

interface RunJson {
  id: string;
  kind: string;
  periodStart: string;
  periodEnd: string;
  status: string;
  trigger: string;
  error: string | null;
  files: Array<{ format: string; bytes: number }>;
  supersededBy: string | null;
  url: string;
}
interface KpiJson {
  metric: string;
  value: number | null;
}

describe('scheduled reports', () => {
  const clock = createFakeClock(NOW);
  let t: TestApp;
  let smtp: SmtpReceiver;
  let hook: TestReceiver;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hook = await startTestReceiver();
    t = await createTestApp({
      clock,
      env: {
        SIGHTLINE_ALERT_TICK_MS: '0',
        SIGHTLINE_ANOMALY_SCAN_MS: '0',
        SIGHTLINE_REPORT_TICK_MS: '0',
        SIGHTLINE_SMTP_HOST: '127.0.0.1',
        SIGHTLINE_SMTP_PORT: String(smtp.port),
        SIGHTLINE_PUBLIC_URL: 'https://sightline.example.com',
      },
    });
    await seedDemo(t.app.services, { days: 8, seed: 42, scale: 1 });
  }, 300_000);
  afterAll(async () => {
    await t.close();
    await hook.close();
    await smtp.close();
  });

  async function call(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
    token = t.adminToken,
  ) {
    const response = await t.app.fastify.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    const json = String(response.headers['content-type']).startsWith('application/json');
    return { status: response.statusCode, body: json ? response.json() : null, raw: response };
  }
  const runs = '/api/v1/projects/demo/report-runs';
  async function listRuns(): Promise<RunJson[]> {
    return (await call('GET', runs)).body.runs;
  }
  async function kpis(from: string, to: string, compare = 'year'): Promise<KpiJson[]> {
    const answer = await call('POST', '/api/v1/projects/demo/reports/kpis', {
      from,
      to,
      metrics: HEADLINE,
      compare,
    });
    expect(answer.status).toBe(200);
    return answer.body.result.kpis;
  }
  async function waitDone(run: RunJson): Promise<RunJson> {
    const done = await t.app.services.reports.waitFor({ projectId: 'demo', id: run.id });
    return (await call('GET', `${runs}/${done.id}`)).body;
  }

  it('mails the demo team the daily report at 08:00, with the query API numbers and the planted causes', async () => {
    clock.set(Date.parse('2026-11-21T00:00:30Z')); // 08:00:30 in Shanghai
    await t.app.services.reports.tick();
    const [run, ...others] = await listRuns();
    expect(others).toEqual([]);
    expect(run).toMatchObject({
      kind: 'daily',
      periodStart: YESTERDAY,
      periodEnd: YESTERDAY,
      trigger: 'schedule',
      status: 'done',
      error: null,
      url: `https://sightline.example.com/p/demo/reports?run=${run?.id}`,
    });
    expect(run?.files.map((f) => f.format)).toEqual(['xlsx', 'html', 'pdf']);

    // The headline equals the query API's KPI cards for the same day (and the day before).
    const doc: ReportDocument = (await call('GET', `${runs}/${run?.id}/document`)).body;
    const today = await kpis(YESTERDAY, YESTERDAY);
    const before = await kpis('2026-11-19', '2026-11-19');
    for (const metric of HEADLINE) {
      const kpi = doc.headline.find((k) => k.metric === metric);
      expect(kpi?.value, metric).toBe(today.find((k) => k.metric === metric)?.value);
      expect(kpi?.previous, metric).toBe(before.find((k) => k.metric === metric)?.value);
    }

    // The explanations name the causes planted in the demo: an email campaign brought many
    // more buyers, and members were charged twice and refunded.
    const surge = findDemoAnomaly('campaign_surge');
    const refunds = findDemoAnomaly('refund_spike');
    const gmv = doc.explanations.find((e) => e.metric === 'gmv');
    expect(gmv).toMatchObject({ dimension: 'channel' });
    expect(gmv?.drivers[0]?.segment).toBe(surge.details.channel);
    expect(gmv?.current).toBe(doc.headline.find((k) => k.metric === 'gmv')?.value);
    expect(gmv?.text).toContain(surge.details.channel);
    const refund = doc.explanations.find((e) => e.metric === 'refund_amount');
    expect([refunds.details.productType, refunds.details.reason]).toContain(
      refund?.drivers[0]?.segment,
    );
    expect(doc.suggestions.map((s) => s.rule)).toContain('refund_spike_product');
    expect(doc.suggestions.map((s) => s.text).join('\n')).toContain(refunds.details.productType);

    // One email to the demo team: the HTML report with inline charts, and the XLSX attached.
    const deliveries = (await call('GET', `${runs}/${run?.id}/deliveries`)).body.deliveries;
    expect(deliveries).toMatchObject([
      { targetKind: 'email', target: t.config.adminEmail, status: 'sent', attempts: 1 },
    ]);
    expect(smtp.mails).toHaveLength(1);
    const mail = await simpleParser(smtp.mails[0]?.raw ?? '', { keepCidLinks: true });
    expect(mail.subject).toBe(doc.title);
    expect(mail.subject).toContain('日报');
    const xlsx = mail.attachments.find((a) => a.filename?.endsWith('.xlsx'));
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(String(mail.html)).toContain(`cid:${image.cid ?? '?'}`);
    expect(mail.text).toContain(doc.title);

    // The XLSX's summary sheet carries the same numbers (currency in yuan, 2 decimals).
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx?.content as unknown as ArrayBuffer);
    const summary = book.worksheets[0];
    // The headline table's row (an explanation further down starts with the same name).
    const valueOf = (name: string) => {
      let found: unknown;
      summary?.eachRow((row) => {
        if (found === undefined && row.getCell(1).value === name) found = row.getCell(2).value;
      });
      return found;
    };
    const gmvKpi = doc.headline.find((k) => k.metric === 'gmv');
    const ordersKpi = doc.headline.find((k) => k.metric === 'orders');
    expect(Math.round(Number(valueOf(gmvKpi?.name ?? '')) * 100)).toBe(gmvKpi?.value);
    expect(valueOf(ordersKpi?.name ?? '')).toBe(ordersKpi?.value);
    expect(book.worksheets.length).toBeGreaterThan(3);
  }, 120_000);

  it('sends the weekly report on Monday and the monthly one on the 1st, in the project zone', async () => {
    // Without PDFs from here on: the schedule is what is under test.
    for (const kind of ['daily', 'weekly', 'monthly'] as const) {
      const current = (
        await call('GET', '/api/v1/projects/demo/report-definitions')
      ).body.definitions.find((d: { kind: string }) => d.kind === kind);
      const { projectId, kind: k, lastScheduledAt, updatedBy, updatedAt, ...input } = current;
      void [projectId, k, lastScheduledAt, updatedBy, updatedAt];
      const saved = await call('PUT', `/api/v1/projects/demo/report-definitions/${kind}`, {
        ...input,
        formats: ['xlsx', 'html'],
      });
      expect(saved.status).toBe(200);
    }
    // Sunday 08:00 has no weekly send; Monday 08:30 does (and its daily covers Sunday only).
    clock.set(Date.parse('2026-11-23T00:30:30Z'));
    await t.app.services.reports.tick();
    const monday = (await listRuns()).slice(0, 2);
    expect(monday.map((r) => [r.kind, r.periodStart, r.periodEnd, r.status]).sort()).toEqual([
      ['daily', '2026-11-22', '2026-11-22', 'done'],
      ['weekly', '2026-11-16', '2026-11-22', 'done'],
    ]);
    // 2026-12-01 09:00 in Shanghai is still November 30 in UTC: the month is November. The
    // weekly send of Monday 30 November was missed while the clock stood still: it goes too.
    clock.set(Date.parse('2026-12-01T01:00:30Z'));
    await t.app.services.reports.tick();
    const first = (await listRuns()).slice(0, 3);
    expect(first.map((r) => [r.kind, r.periodStart, r.periodEnd, r.status]).sort()).toEqual([
      ['daily', '2026-11-30', '2026-11-30', 'done'],
      ['monthly', '2026-11-01', '2026-11-30', 'done'],
      ['weekly', '2026-11-23', '2026-11-29', 'done'],
    ]);
    // Nothing is due again within the same minute.
    await t.app.services.reports.tick();
    expect(await listRuns()).toHaveLength(6);
    expect(smtp.mails).toHaveLength(6);
  }, 180_000);

  it('generates any past period on demand; a second run supersedes the first; downloads are audited', async () => {
    const asked = await call('POST', runs, { kind: 'daily', date: '2026-11-18', locale: 'en' });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({
      status: 'queued',
      trigger: 'manual',
      periodStart: '2026-11-18',
    });
    const first = await waitDone(asked.body);
    expect(first.status).toBe('done');
    const again = await waitDone(
      (await call('POST', runs, { kind: 'daily', date: '2026-11-18' })).body,
    );
    expect((await call('GET', `${runs}/${first.id}`)).body.supersededBy).toBe(again.id);

    const doc: ReportDocument = (await call('GET', `${runs}/${first.id}/document`)).body;
    expect(doc.locale).toBe('en');
    expect(doc.title).toContain('Daily report');

    const file = await call('GET', `${runs}/${first.id}/files/xlsx`);
    expect(file.status).toBe(200);
    expect(file.raw.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.raw.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const audit = await call('GET', '/api/v1/audit?project=demo&action=report.download');
    expect(audit.body.entries[0]).toMatchObject({ target: first.id, details: { format: 'xlsx' } });

    const missing = await call('GET', `${runs}/${first.id}/files/pdf`);
    expect(missing.body.error.code).toBe('ERR_REPORT_FILE_NOT_FOUND');
    const future = await call('POST', runs, { kind: 'monthly', date: '2027-01-15' });
    expect([future.status, future.body.error.code]).toEqual([400, 'ERR_REPORT_PERIOD_INVALID']);
    const notADate = await call('POST', runs, { kind: 'daily', date: '2026-02-30' });
    expect(notADate.body.error.code).toBe('ERR_REPORT_PERIOD_INVALID');
    const unknown = await call('GET', `${runs}/rpt_nope`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'ERR_REPORT_RUN_NOT_FOUND']);

    const viewer = await t.app.services.auth.createToken({ name: 'v', role: 'viewer' }, 'test');
    const denied = await call('POST', runs, { kind: 'daily' }, viewer.token);
    expect([denied.status, denied.body.error.code]).toEqual([403, 'ERR_AUTH_FORBIDDEN']);
    expect((await call('GET', runs, undefined, viewer.token)).status).toBe(200);

    // A caller who may see only some rows of the project gets none of its reports: their
    // headline covers every channel. Every archive route says so, with the same code.
    const scoped = await t.app.services.auth.createToken(
      {
        name: 'wechat analyst',
        role: 'analyst',
        projectId: 'demo',
        rowScope: [{ dimension: 'channel', op: 'eq', value: 'wechat' }],
      },
      'test',
    );
    for (const [method, url, body] of [
      ['GET', runs, undefined],
      ['POST', runs, { kind: 'daily', date: '2026-11-18' }],
      ['GET', `${runs}/${first.id}`, undefined],
      ['GET', `${runs}/${first.id}/document`, undefined],
      ['GET', `${runs}/${first.id}/deliveries`, undefined],
      ['GET', `${runs}/${first.id}/files/xlsx`, undefined],
    ] as const) {
      const answer = await call(method, url, body, scoped.token);
      expect([url, answer.status, answer.body?.error.code]).toEqual([
        url,
        403,
        'ERR_REPORT_SCOPE_RESTRICTED',
      ]);
    }
  }, 120_000);

  it('posts a summary with a link to a DingTalk robot, retrying after a failure', async () => {
    let answers = 0;
    hook.answer(() => {
      answers += 1;
      return answers === 1
        ? { status: 502, body: 'bad gateway' }
        : { status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) };
    });
    const channel = await call('POST', '/api/v1/projects/demo/alerts/channels', {
      name: 'Ops robot',
      config: { kind: 'dingtalk', url: `${hook.origin}/robot/send?access_token=t`, secret: 'SEC1' },
    });
    expect(channel.status).toBe(201);
    const definition = (
      await call('GET', '/api/v1/projects/demo/report-definitions')
    ).body.definitions.find((d: { kind: string }) => d.kind === 'daily');
    const put = await call('PUT', '/api/v1/projects/demo/report-definitions/daily', {
      enabled: definition.enabled,
      sendTime: definition.sendTime,
      locale: 'zh-CN',
      sections: ['orders', 'api'],
      recipients: [],
      channelIds: [channel.body.id],
      formats: ['xlsx', 'html'],
    });
    expect(put.status).toBe(200);
    const run = await waitDone(
      (await call('POST', runs, { kind: 'daily', date: '2026-11-19', deliver: true })).body,
    );
    const path = `${runs}/${run.id}/deliveries`;
    let deliveries = (await call('GET', path)).body.deliveries;
    // Runs after generation: wait for the first attempt to be logged.
    for (let i = 0; i < 50 && deliveries[0]?.attempts !== 1; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      deliveries = (await call('GET', path)).body.deliveries;
    }
    expect(deliveries).toMatchObject([
      {
        targetKind: 'channel',
        target: channel.body.id,
        status: 'pending',
        attempts: 1,
        lastStatus: 502,
      },
    ]);
    clock.advance(61 * SECOND);
    await t.app.services.reports.tick();
    expect((await call('GET', path)).body.deliveries).toMatchObject([
      { status: 'sent', attempts: 2, lastError: null },
    ]);
    const body = JSON.parse(hook.requests[1]?.body ?? '{}');
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.text).toContain(
      `https://sightline.example.com/p/demo/reports?run=${run.id}`,
    );
    expect(body.markdown.title).toContain('日报');
  }, 120_000);
});
