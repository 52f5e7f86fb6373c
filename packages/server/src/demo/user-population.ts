import type { MembershipPlan } from './catalog-data.ts';
import { DAY_MS } from './demo-calendar.ts';
import { createDemoDevice, pickDemoIp, type DemoDevice } from './device-profiles.ts';
import { createWeightedPicker, type Prng } from './prng.ts';
import type { Channel, Platform } from './traffic-sources.ts';

export interface DemoMembership {
  plan: MembershipPlan;
  expiresAt: number;
}

/** Days one membership order lasts. */
export const MEMBERSHIP_PERIOD_DAYS: Readonly<Record<MembershipPlan, number>> = {
  weekly: 7,
  monthly: 30,
  yearly: 365,
};

/** A registered shopper (or agent). Mutable: membership and order history change over the days. */
export interface DemoUser {
  userId: string;
  anonymousId: string;
  deviceId: string;
  device: DemoDevice;
  ip: string;
  /** Raw shipping address; the server hashes it. */
  address: string;
  signupTime: number;
  signupChannel: Channel;
  /** The S2B2C agent this customer is bound to; their orders earn that agent commission. */
  boundAgentId?: string;
  /** Set when this user is an agent. */
  agentId?: string;
  /** Multiplier on the base return probability (heavy and light users). */
  propensity: number;
  membership?: DemoMembership;
  orderCount: number;
}

export interface DemoAgent {
  agentId: string;
  userId: string;
  /** This agent's usual commission ratio, between 5% and 15%. */
  commissionRate: number;
  /** Share of shared links and bound customers. */
  weight: number;
}

const AGENT_COUNT = 30;
const USER_ID_BASE = 100_001;
/** Sign-ups per day at scale 1 before the period, so returning traffic is steady from day 0. */
const PRIOR_SIGNUPS_PER_DAY = 70;
const PRIOR_DAYS = 90;
const MEMBER_SHARE = 0.1;
const BOUND_AGENT_SHARE = 0.3;

const pickPlatform = createWeightedPicker<Platform>(
  ['web', 'h5', 'miniprogram', 'ios', 'android'],
  [18, 17, 35, 13, 17],
);
const pickMemberPlan = createWeightedPicker<MembershipPlan>(
  ['weekly', 'monthly', 'yearly'],
  [25, 60, 15],
);
const pickChannel = createWeightedPicker<Channel>(
  ['direct', 'organic_search', 'social', 'paid_search', 'email', 'affiliate'],
  [25, 20, 30, 15, 5, 5],
);

const REGIONS: readonly (readonly [string, string, readonly string[]])[] = [
  ['广东省', '深圳市', ['南山区', '福田区', '宝安区', '龙岗区']],
  ['广东省', '广州市', ['天河区', '海珠区', '番禺区']],
  ['上海市', '上海市', ['浦东新区', '徐汇区', '闵行区', '静安区']],
  ['北京市', '北京市', ['朝阳区', '海淀区', '丰台区']],
  ['浙江省', '杭州市', ['西湖区', '余杭区', '滨江区']],
  ['四川省', '成都市', ['武侯区', '高新区', '锦江区']],
  ['江苏省', '南京市', ['鼓楼区', '江宁区', '建邺区']],
  ['湖北省', '武汉市', ['洪山区', '江汉区', '武昌区']],
  ['湖南省', '长沙市', ['岳麓区', '天心区']],
];
const STREETS = [
  '科技园路',
  '人民路',
  '建设大道',
  '中山路',
  '解放路',
  '文一西路',
  '天府大道',
  '长江路',
];

function createDemoAddress(rng: Prng): string {
  const [province, city, districts] = rng.pick(REGIONS);
  const prefix = province === city ? province : `${province}${city}`;
  return `${prefix}${rng.pick(districts)}${rng.pick(STREETS)}${rng.int(1, 999)}号${rng.int(1, 20)}栋${rng.int(1, 32)}${String(rng.int(1, 8)).padStart(2, '0')}室`;
}

/**
 * Creates the agents (the first users) and the users who signed up before the period. An agent's
 * user id is its agent id, so an order an agent pays for through its own link is recognisable.
 */
export function createUserPopulation(
  rng: Prng,
  scale: number,
  periodStart: number,
): { users: DemoUser[]; agents: DemoAgent[]; nextUserNumber: number } {
  const users: DemoUser[] = [];
  const agents: DemoAgent[] = [];
  let nextUserNumber = USER_ID_BASE;
  for (let i = 1; i <= AGENT_COUNT; i += 1) {
    const signupTime = periodStart - rng.int(120, 400) * DAY_MS;
    const agentId = `agent_${String(i).padStart(2, '0')}`;
    const user = createDemoUser(rng, agentId, signupTime, 'social');
    user.agentId = agentId;
    users.push(user);
    agents.push({
      agentId,
      userId: user.userId,
      commissionRate: rng.float(0.06, 0.14),
      weight: rng.logNormal(1, 0.8),
    });
  }
  const pickAgent = createAgentPicker(agents);
  for (let age = PRIOR_DAYS; age >= 1; age -= 1) {
    const count = rng.poisson(PRIOR_SIGNUPS_PER_DAY * scale);
    for (let n = 0; n < count; n += 1) {
      const signupTime = periodStart - age * DAY_MS + rng.int(0, DAY_MS - 1);
      const user = createDemoUser(rng, `u${nextUserNumber}`, signupTime, pickChannel(rng.next));
      nextUserNumber += 1;
      if (rng.chance(BOUND_AGENT_SHARE)) user.boundAgentId = pickAgent(rng.next);
      if (rng.chance(MEMBER_SHARE)) {
        const plan = pickMemberPlan(rng.next);
        user.membership = {
          plan,
          expiresAt: periodStart + rng.int(0, MEMBERSHIP_PERIOD_DAYS[plan] * DAY_MS),
        };
      }
      user.orderCount = rng.chance(0.5) ? rng.int(1, 6) : 0;
      users.push(user);
    }
  }
  return { users, agents, nextUserNumber };
}

function createDemoUser(
  rng: Prng,
  userId: string,
  signupTime: number,
  signupChannel: Channel,
  platform: Platform = pickPlatform(rng.next),
): DemoUser {
  return {
    userId,
    anonymousId: `anon-${rng.hex(12)}`,
    deviceId: `dev-${rng.hex(12)}`,
    device: createDemoDevice(rng, platform),
    ip: pickDemoIp(rng),
    address: createDemoAddress(rng),
    signupTime,
    signupChannel,
    propensity: Math.min(3, rng.logNormal(0.9, 0.5)),
    orderCount: 0,
  };
}

/** Registers a visitor who signs up: the user keeps the visitor's device, IP and ids. */
export function registerVisitor(
  rng: Prng,
  visitor: { anonymousId: string; deviceId: string; device: DemoDevice; ip: string },
  userId: string,
  signupTime: number,
  signupChannel: Channel,
): DemoUser {
  return {
    userId,
    anonymousId: visitor.anonymousId,
    deviceId: visitor.deviceId,
    device: visitor.device,
    ip: visitor.ip,
    address: createDemoAddress(rng),
    signupTime,
    signupChannel,
    propensity: Math.min(3, rng.logNormal(0.9, 0.5)),
    orderCount: 0,
  };
}

export function createAgentPicker(agents: readonly DemoAgent[]): (next: () => number) => string {
  return createWeightedPicker(
    agents.map((agent) => agent.agentId),
    agents.map((agent) => agent.weight),
  );
}

/**
 * Chance that a user comes back on a day: a power-law decay in days since sign-up (D1 ≈ 32%,
 * D7 ≈ 14%, D30 ≈ 8%) scaled by the user's propensity and the weekday. Agents run their shops
 * daily.
 */
export function getReturnProbability(user: DemoUser, dayStart: number, weekly: number): number {
  if (user.agentId) return 0.7;
  const ageDays = Math.max(1, Math.round((dayStart - user.signupTime) / DAY_MS));
  return Math.min(0.9, 0.32 * Math.pow(ageDays, -0.42) * user.propensity * weekly);
}
