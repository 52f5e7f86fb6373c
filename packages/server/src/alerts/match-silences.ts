import type { LabelMatcher, MuteSchedule } from './alert-rule-schema.ts';
import type { Labels } from './alert-instances.ts';

/** A silence as matching needs it. */
export interface ActiveSilence {
  id: string;
  matchers: readonly LabelMatcher[];
  startsAt: number;
  endsAt: number;
  schedule: MuteSchedule | null;
  expiredAt: number | null;
}

/**
 * Alertmanager's matcher semantics: a missing label is the empty string, and regular
 * expressions are anchored (they must match the whole value).
 */
export function matchesLabels(labels: Labels, matchers: readonly LabelMatcher[]): boolean {
  return matchers.every((matcher) => {
    const value = labels[matcher.name] ?? '';
    switch (matcher.op) {
      case '=':
        return value === matcher.value;
      case '!=':
        return value !== matcher.value;
      case '=~':
        return anchored(matcher.value).test(value);
      case '!~':
        return !anchored(matcher.value).test(value);
    }
  });
}

export function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/** Whether the silence mutes at `now`: inside its period and, if recurring, inside a window. */
export function isSilenceActive(silence: ActiveSilence, now: number, timeZone: string): boolean {
  const end =
    silence.expiredAt !== null ? Math.min(silence.expiredAt, silence.endsAt) : silence.endsAt;
  if (now < silence.startsAt || now >= end) return false;
  if (!silence.schedule) return true;
  return isInMuteWindow(silence.schedule, now, timeZone);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Recurring windows are local times. A window whose end is before its start runs over midnight
 * (22:00–06:00 on Friday covers Friday 22:00 to Saturday 06:00).
 */
export function isInMuteWindow(schedule: MuteSchedule, now: number, timeZone: string): boolean {
  const { day, minute } = localDayMinute(now, timeZone);
  const { startMinute, endMinute, days } = schedule;
  if (startMinute < endMinute)
    return days.includes(day) && minute >= startMinute && minute < endMinute;
  const yesterday = (day + 6) % 7;
  return (
    (days.includes(day) && minute >= startMinute) ||
    (days.includes(yesterday) && minute < endMinute)
  );
}

function localDayMinute(at: number, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: WEEKDAYS.indexOf(part('weekday')),
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/** The first active silence muting these labels, if any. */
export function findSilence(
  labels: Labels,
  silences: readonly ActiveSilence[],
  now: number,
  timeZone: string,
): ActiveSilence | null {
  return (
    silences.find((s) => isSilenceActive(s, now, timeZone) && matchesLabels(labels, s.matchers)) ??
    null
  );
}
