import { describe, expect, it } from 'vitest';
import { getNotificationTexts } from './notification-messages.ts';
import { createTestAlert, createTestMessage, TEST_NOW_MS } from './test-messages.ts';
import {
  buildNotificationView,
  formatDuration,
  formatZonedTime,
  toSingleLine,
} from './notification-view.ts';

const WINTER_MS = Date.UTC(2024, 0, 15, 12, 0, 0);

describe('formatZonedTime', () => {
  it.each([
    [TEST_NOW_MS, 'Asia/Shanghai', '2024-05-01 12:00:00 UTC+08:00'],
    [TEST_NOW_MS, 'America/New_York', '2024-05-01 00:00:00 UTC-04:00'],
    [WINTER_MS, 'America/New_York', '2024-01-15 07:00:00 UTC-05:00'],
    [TEST_NOW_MS, 'Asia/Kathmandu', '2024-05-01 09:45:00 UTC+05:45'],
    [TEST_NOW_MS, 'America/St_Johns', '2024-05-01 01:30:00 UTC-02:30'],
    [TEST_NOW_MS, 'UTC', '2024-05-01 04:00:00 UTC'],
    [TEST_NOW_MS + 999, 'UTC', '2024-05-01 04:00:00 UTC'],
    [TEST_NOW_MS, 'Mars/Olympus_Mons', '2024-05-01 04:00:00 UTC'],
  ])('%i in %s is %s', (ms, zone, expected) => {
    expect(formatZonedTime(ms, zone)).toBe(expected);
  });
});

describe('formatDuration', () => {
  const en = getNotificationTexts('en');
  const zh = getNotificationTexts('zh-CN');
  it.each([
    [30_000, en, '1 min'],
    [9 * 60_000, en, '9 min'],
    [60 * 60_000, en, '1 h'],
    [65 * 60_000, en, '1 h 5 min'],
    [(26 * 60 + 3) * 60_000, en, '1 d 2 h'],
    [65 * 60_000, zh, '1 小时 5 分钟'],
  ])('%i ms', (ms, texts, expected) => {
    expect(formatDuration(ms, texts)).toBe(expected);
  });
});

describe('toSingleLine', () => {
  it('joins lines, drops control characters and clips with an ellipsis', () => {
    expect(toSingleLine('a\nb\r\n\tc\u0000d')).toBe('a b c d');
    expect(toSingleLine('abcdef', 4)).toBe('abc…');
  });
});

describe('buildNotificationView', () => {
  it('puts firing alerts first and titles by the most severe firing one', () => {
    const view = buildNotificationView(
      createTestMessage({
        alerts: [
          createTestAlert({ ruleName: 'Old', state: 'resolved', endsAt: TEST_NOW_MS }),
          createTestAlert({ ruleName: 'Errors', severity: 'P2' }),
          createTestAlert({ ruleName: 'Stock', severity: 'P1' }),
        ],
      }),
    );
    expect(view.title).toBe('[P1 FIRING] Errors (+2) — Demo Shop');
    expect(view.color).toBe('orange');
    expect(view.summary).toBe('2 firing, 1 resolved');
    expect(view.alerts.map((a) => a.headline)).toEqual([
      '[P2 FIRING] Errors',
      '[P1 FIRING] Stock',
      '[P0 RESOLVED] Old',
    ]);
  });

  it('lists labels sorted by name, at most 30', () => {
    const labels = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${100 + i}`, 'v']));
    const [alert] = buildNotificationView(
      createTestMessage({ alerts: [createTestAlert({ labels })] }),
    ).alerts;
    expect(alert?.labels).toHaveLength(30);
    expect(alert?.labels[0]).toEqual(['k100', 'v']);
    expect(alert?.labels[29]).toEqual(['k129', 'v']);
  });

  it('words a test message without alerts', () => {
    const view = buildNotificationView(
      createTestMessage({ status: 'test', locale: 'zh-CN', alerts: [] }),
    );
    expect(view.title).toBe('[测试] Sightline 告警通道测试 — Demo Shop');
    expect(view.color).toBe('blue');
    expect(view.summary).toBe(getNotificationTexts('zh-CN').testNote);
    expect(view.footer).toBe('由 Sightline 于 2024-05-01 12:00:00 UTC+08:00 发送');
  });
});
