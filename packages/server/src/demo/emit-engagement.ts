import { getLocalMinute } from './demo-calendar.ts';
import { createWeightedPicker } from './prng.ts';
import type { EmitDayContext, SessionWriter } from './session-writer.ts';
import { SHOP_NAME, type OpenPage } from './shop-pages.ts';
import type { VisitPlan } from './shop-plan.ts';

/** The AI image features of seed 001, with typical inference time and quota cost. */
const FEATURES = ['remove_bg', 'eraser', 'outfit_swap', 'face_swap', 'outpaint'] as const;
type Feature = (typeof FEATURES)[number];
const FEATURE_INFO: Readonly<Record<Feature, { title: string; inferMs: number; quota: number }>> = {
  remove_bg: { title: 'AI 抠图', inferMs: 800, quota: 1 },
  eraser: { title: 'AI 消除笔', inferMs: 1_200, quota: 1 },
  outfit_swap: { title: 'AI 换装', inferMs: 5_500, quota: 4 },
  face_swap: { title: 'AI 换脸', inferMs: 4_000, quota: 5 },
  outpaint: { title: 'AI 扩图', inferMs: 6_500, quota: 3 },
};
const pickFeature = createWeightedPicker(FEATURES, [35, 20, 18, 12, 15]);
const ERROR_CODES = ['MODEL_ERROR', 'TIMEOUT', 'INSUFFICIENT_QUOTA', 'USER_CANCELLED'] as const;
const TASK_TIMEOUT_MS = 30_000;
const SHARE_TARGETS = ['wechat_friend', 'moments'] as const;

/** AI tasks by logged-in users: feature_invoke, then task_completed when the job finishes. */
export function emitTasks(
  w: SessionWriter,
  ctx: EmitDayContext,
  visit: VisitPlan,
  openPage: OpenPage,
): void {
  const { rng, day } = ctx;
  if (!w.userId || visit.fast || !rng.chance(visit.isMember ? 0.45 : 0.18)) return;
  const count = 1 + rng.poisson(visit.isMember ? 1.5 : 0.6);
  let current: Feature | undefined;
  for (let n = 0; n < count; n += 1) {
    const feature = current && rng.chance(0.6) ? current : pickFeature(rng.next);
    const info = FEATURE_INFO[feature];
    if (feature !== current) openPage(`/ai/${feature}`, `${info.title} - ${SHOP_NAME}`);
    current = feature;
    w.pause(12_000);
    const taskId = `t_${rng.hex(16)}`;
    w.track({ name: 'feature_invoke', feature, props: { task_id: taskId } });
    w.api('POST', '/api/tasks', '/api/tasks');
    // GPU queues back up in the evening peak.
    const hour = Math.floor(getLocalMinute(day, w.now) / 60);
    const queueMs = Math.round(rng.logNormal(hour >= 19 && hour < 23 ? 600 : 220, 0.8));
    const inferMs = Math.round(rng.logNormal(info.inferMs, 0.4));
    const failure = rng.chance(visit.isMember ? 0.04 : 0.07)
      ? rng.weightedPick(ERROR_CODES, [35, 25, visit.isMember ? 5 : 30, 10])
      : undefined;
    const result = getTaskTiming(failure, queueMs, inferMs, rng.next());
    w.now += result.durationMs;
    w.api('GET', '/api/tasks/:id', `/api/tasks/${taskId}`);
    w.track({
      name: 'task_completed',
      feature,
      duration_ms: result.durationMs,
      props: {
        task_id: taskId,
        status: failure ? 'failed' : 'success',
        ...(failure ? { error_code: failure } : {}),
        queue_ms: result.queueMs,
        infer_ms: result.inferMs,
        quota_cost: failure ? 0 : info.quota,
      },
    });
  }
}

function getTaskTiming(
  failure: (typeof ERROR_CODES)[number] | undefined,
  queueMs: number,
  inferMs: number,
  fraction: number,
): { durationMs: number; queueMs: number; inferMs: number } {
  const overheadMs = 40 + Math.round(fraction * 80);
  switch (failure) {
    case undefined:
      return { durationMs: queueMs + inferMs + overheadMs, queueMs, inferMs };
    case 'INSUFFICIENT_QUOTA':
      // Rejected before it reaches the queue.
      return { durationMs: overheadMs, queueMs: 0, inferMs: 0 };
    case 'TIMEOUT':
      return {
        durationMs: TASK_TIMEOUT_MS + overheadMs,
        queueMs,
        inferMs: TASK_TIMEOUT_MS - queueMs,
      };
    case 'MODEL_ERROR': {
      const partial = Math.round(inferMs * (0.2 + 0.6 * fraction));
      return { durationMs: queueMs + partial + overheadMs, queueMs, inferMs: partial };
    }
    case 'USER_CANCELLED': {
      const partial = Math.round(inferMs * fraction);
      return { durationMs: queueMs + partial + overheadMs, queueMs, inferMs: partial };
    }
  }
}

/** Agents share product links every visit; ordinary shoppers now and then. */
export function emitShares(w: SessionWriter, ctx: EmitDayContext, visit: VisitPlan): void {
  const { rng } = ctx;
  if (visit.fast) return;
  const count = visit.agentId ? 1 + rng.poisson(1.5) : rng.chance(0.03) ? 1 : 0;
  for (let n = 0; n < count; n += 1) {
    const product = visit.viewed[n % Math.max(1, visit.viewed.length)];
    w.pause(9_000);
    w.track({
      name: 'share',
      props: {
        ...(visit.agentId ? { agent_id: visit.agentId } : {}),
        target: rng.weightedPick(SHARE_TARGETS, [70, 30]),
        ...(product ? { product_id: product.productId } : {}),
      },
    });
  }
}
