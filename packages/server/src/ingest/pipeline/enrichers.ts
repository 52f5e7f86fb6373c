import type { GeoInfo, UserAgentInfo } from '../enrich/index.ts';

export type { GeoInfo, UserAgentInfo };

/** What the pipeline needs from enrichment and privacy; `create-enrichers.ts` wires the real ones. */
export interface ChannelInput {
  channel?: string | null | undefined;
  utmSource?: string | null | undefined;
  utmMedium?: string | null | undefined;
  utmCampaign?: string | null | undefined;
  referrer?: string | null | undefined;
  url?: string | null | undefined;
}

export interface Enrichers {
  parseUserAgent(userAgent: string | undefined): UserAgentInfo;
  lookupGeo(ip: string | undefined): GeoInfo;
  classifyChannel(input: ChannelInput): { channel: string; referrerHost: string | null };
  hashIp(ip: string, salt: string): string;
  hashValue(value: string, salt: string): string;
  scrubPii(
    props: Record<string, unknown>,
    salt: string,
  ): { props: Record<string, unknown>; hashedCount: number };
  applyDenylist(
    props: Record<string, unknown>,
    denylist: ReadonlySet<string>,
  ): { props: Record<string, unknown>; removed: readonly string[] };
  checkProps(value: unknown): string | null;
}
